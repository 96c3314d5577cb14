"""Documents as the tests of the party format need them: the editor's form filled from a draft, as a clerk saves
it, and a report (BC) of the bloc to the province's Ban Tổ chức."""

from __future__ import annotations

from sangtao.campaigns.forms import DocumentForm
from sangtao.campaigns.models import Document


def editor_data(doc: Document, **changes) -> dict:
    """Every field of the document editor's form as the draft holds it (an unticked box is not sent), then
    `changes` — what the clerk typed."""
    data = {"recipients": [o.pk for o in doc.recipients.all()]}
    for name in DocumentForm.Meta.fields:
        value = getattr(doc, name)
        if name != "recipients" and value is not False:
            data[name] = value
    return {**data, **changes}


def bloc_report(demo, **fields) -> Document:
    """A BÁO CÁO of the Đảng ủy Khối to the Ban Tổ chức Tỉnh ủy (unsaved): two Roman-numbered headings, the
    bloc's signature; `fields` replace any part."""
    return Document(
        **{
            "issuer": demo["LD-DUK"],
            "parent_name": "ĐẢNG BỘ TỈNH LÂM ĐỒNG",
            "issuer_name": "ĐẢNG ỦY KHỐI DOANH NGHIỆP TỈNH",
            "kind": Document.Kind.BC,
            "year": 2023,
            "symbol": "ĐUK",
            "place": "Đà Lạt",
            "subject": "Kết quả đăng ký mô hình mới, cách làm sáng tạo năm 2023",
            "salutation": "Ban Tổ chức Tỉnh ủy",
            "body": "I. KẾT QUẢ ĐĂNG KÝ\nĐã đăng ký 10/12 chủ thể.\nII. ĐÁNH GIÁ CHUNG\n1. Ưu điểm: đăng ký đúng hạn.",
            "copies_to": "- Như trên,\n- Lưu.",
            "signature": Document.Signature.TM_BTV,
            "signer_title": "BÍ THƯ",
            "signer_name": "Trương Văn Hải",
            **fields,
        }
    )
