"""Personal data shown to someone outside its scope is masked, never left out silently."""


def mask_phone(phone: str) -> str:
    digits = phone or ""
    if len(digits) <= 4:
        return "*" * len(digits)
    keep_head = 3 if len(digits) >= 11 else 2
    return digits[:keep_head] + "*" * (len(digits) - keep_head - 4) + digits[-4:]


def mask_email(email: str) -> str:
    if not email or "@" not in email:
        return "*" * len(email or "")
    local, domain = email.split("@", 1)
    return f"{local[:1]}***@{domain}"


def mask_secret(secret: str) -> str:
    """A stored secret (a webhook key) as staff see it again: its first four characters only."""
    if not secret:
        return ""
    return secret[:4] + "****"
