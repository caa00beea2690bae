# The purposes of both branches: import checks (0003) and liaisons reaching deputies.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('deputies', '0005_name_sort_keys'),
    ]

    operations = [
        migrations.AlterField(
            model_name='personaldataaccess',
            name='purpose',
            field=models.CharField(choices=[('list', '名册列表'), ('detail', '代表详情'), ('reveal', '查看完整身份证号码'), ('export', '导出名册'), ('card', '履职登记卡'), ('import', '名册导入核对'), ('import_file', '下载导入的原文件'), ('handling', '承办单位联系代表')], max_length=20, verbose_name='用途'),
        ),
    ]
