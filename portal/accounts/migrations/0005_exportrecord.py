import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_apitoken'),
    ]

    operations = [
        migrations.CreateModel(
            name='ExportRecord',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='exported')),
                ('name', models.CharField(db_index=True, max_length=100, verbose_name='export')),
                ('path', models.CharField(max_length=500, verbose_name='path')),
                ('query_string', models.TextField(blank=True, verbose_name='filter (query string)')),
                ('row_count', models.PositiveIntegerField(verbose_name='rows')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='export_records', to=settings.AUTH_USER_MODEL, verbose_name='user')),
            ],
            options={
                'verbose_name': 'export record',
                'verbose_name_plural': 'export records',
                'ordering': ['-created_at', '-id'],
            },
        ),
    ]
