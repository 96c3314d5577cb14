"""Organization kinds of a provincial party organization (SPEC §2). Data, editable; these are the defaults."""

from django.db import migrations

KINDS = [
    # code, name, order, is_grassroots, is_cell
    ("tinh", "Đảng bộ tỉnh", 0, False, False),
    ("co_quan_tham_muu", "Cơ quan tham mưu Tỉnh ủy", 10, False, False),
    ("dang_doan", "Đảng đoàn, Ban cán sự đảng", 15, False, False),
    ("tren_co_so", "Đảng bộ cấp trên cơ sở", 20, False, False),
    ("dang_bo_co_so", "Đảng bộ cơ sở", 30, True, False),
    ("chi_bo_co_so", "Chi bộ cơ sở", 31, True, True),
    ("dang_uy_bo_phan", "Đảng ủy bộ phận", 40, False, False),
    ("chi_bo", "Chi bộ trực thuộc", 50, False, True),
]


def forwards(apps, schema_editor):
    OrgKind = apps.get_model("orgs", "OrgKind")
    for code, name, order, grassroots, cell in KINDS:
        OrgKind.objects.update_or_create(code=code, defaults={
            "name": name, "order": order, "is_grassroots": grassroots, "is_cell": cell})


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
