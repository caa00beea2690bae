"""manage.py import_units FILE --township 青石镇 --by staff [--dry-run]: 承办单位导入 from the shell."""

from presidium.documents.commands import ImportCommand
from presidium.unit_import import unit_import_flow


class Command(ImportCommand):
    help = "从 Excel 导入承办单位（按单位名称更新已有单位）。与网页导入使用同一套检查和保存逻辑。"
    flow = unit_import_flow
