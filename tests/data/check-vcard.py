#!/usr/bin/python3
"""Check vCards that `crm export --format vcard` wrote, with a real parser.

Usage: check-vcard.py [FILE]   (standard input when FILE is absent or -)

Parses with python3-vobject (Debian; khard reads cards with it too),
checks CRLF line ends, lines of at most 75 octets that never split a
UTF-8 character, VERSION 4.0, an FN and a UID in every card, UIDs
unique, and prints one line per card, tab-separated:

    FN  UID  EMAIL,EMAIL...  TEL,TEL...  CATEGORIES

Exits 1 with a message on the first problem.  Uses /usr/bin/python3:
the Debian packages install their modules for that interpreter.
"""
import sys

try:
    import vobject
except ImportError:
    sys.exit("check-vcard.py: python3-vobject is not installed")


def fail(msg):
    sys.exit("check-vcard.py: " + msg)


def values(card, name):
    return [c.value for c in card.contents.get(name, [])]


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "-"
    raw = sys.stdin.buffer.read() if path == "-" else open(path, "rb").read()
    if not raw.endswith(b"\r\n"):
        fail("the last line does not end in CRLF")
    for n, line in enumerate(raw.split(b"\r\n")[:-1], 1):
        if b"\n" in line or b"\r" in line:
            fail("line %d: a bare CR or LF" % n)
        if len(line) > 75:
            fail("line %d: %d octets, more than 75" % (n, len(line)))
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            fail("line %d: not UTF-8 (a fold split a character?)" % n)
    uids = set()
    count = 0
    for card in vobject.readComponents(raw.decode("utf-8")):
        count += 1
        if card.name != "VCARD":
            fail("not a VCARD: %s" % card.name)
        if values(card, "version") != ["4.0"]:
            fail("card %d: VERSION is not 4.0" % count)
        fn = values(card, "fn")
        if len(fn) != 1 or not fn[0]:
            fail("card %d: no FN" % count)
        uid = values(card, "uid")
        if len(uid) != 1 or not uid[0]:
            fail("%s: no UID" % fn[0])
        if uid[0] in uids:
            fail("%s: UID %s twice" % (fn[0], uid[0]))
        uids.add(uid[0])
        cats = []
        for c in values(card, "categories"):
            cats.extend(c if isinstance(c, list) else [c])
        print("\t".join([fn[0], uid[0], ",".join(values(card, "email")),
                         ",".join(values(card, "tel")), ",".join(cats)]))
    if not count:
        fail("no vCard")


main()
