"""Fill empty msgstr entries of a .po file from a Python dict module (EN, PLURAL): a translator's helper.

Usage: python scripts/fill_po.py locale/en/LC_MESSAGES/django.po path/to/translations.py"""

import re
import runpy
import sys


def unquote(block):
    return "".join(re.findall(r'"(.*)"', block)).replace('\\"', '"').replace("\\n", "\n")


def quote(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def main(po_path, dict_path):
    data = runpy.run_path(dict_path)
    single, plural = data.get("EN", {}), data.get("PLURAL", {})
    text = open(po_path, encoding="utf-8").read()
    chunks = text.split("\n\n")
    missing = []
    for i, chunk in enumerate(chunks):
        m = re.search(r'^msgid ((?:"[^\n]*"\n?)+)', chunk, re.MULTILINE)
        if not m or unquote(m.group(1)) == "":
            continue
        msgid = unquote(m.group(1))
        chunk = chunk.replace("#, fuzzy\n", "").replace("#, fuzzy, ", "#, ")
        chunk = "\n".join(line for line in chunk.split("\n") if not line.startswith("#| "))
        if "msgid_plural" in chunk:
            if msgid in plural:
                one, many = plural[msgid]
                chunk = re.sub(r'msgstr\[0\] (?:"[^\n]*"\n?)+', f"msgstr[0] {quote(one)}\n", chunk)
                chunk = re.sub(r'msgstr\[1\] (?:"[^\n]*"\n?)+', f"msgstr[1] {quote(many)}", chunk)
            else:
                missing.append(msgid)
        elif msgid in single:
            chunk = re.sub(r'msgstr (?:"[^\n]*"\n?)+$', f"msgstr {quote(single[msgid])}", chunk)
        else:
            missing.append(msgid)
        chunks[i] = chunk.rstrip("\n")
    open(po_path, "w", encoding="utf-8").write("\n\n".join(chunks) + "\n")
    for msgid in missing:
        print("untranslated:", msgid)


if __name__ == "__main__":
    main(*sys.argv[1:3])
