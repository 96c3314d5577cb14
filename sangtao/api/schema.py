"""Schema post-processing: the answers every operation can give besides 200 are documented too."""

ERRORS = {
    "400": "Tham số không hợp lệ (ví dụ chứa ký tự NUL).",
    "401": "Không có khóa API hoặc khóa sai (Authorization: Token <khóa>).",
    "404": "Không có, hoặc nằm ngoài phạm vi của tài khoản; trang (page) không tồn tại.",
    "429": "Quá số lần gọi cho phép (SANGTAO_API_RATE).",
}


NO_NUL = "^[^\\x00]*$"  # text parameters: anything but NUL, which the server refuses (common.middleware)


def add_error_responses(result, generator, request, public):
    for methods in result.get("paths", {}).values():
        for operation in methods.values():
            for code, text in ERRORS.items():
                operation.setdefault("responses", {}).setdefault(code, {"description": text})
            for param in operation.get("parameters", []):
                schema = param.get("schema", {})
                if schema.get("type") == "string" and "pattern" not in schema and "enum" not in schema:
                    schema["pattern"] = NO_NUL
    return result
