#!/usr/bin/python3
"""Check an ICS file that `crm export --format ics` wrote, with a real parser.

Usage: check-ics.py [FILE]   (standard input when FILE is absent or -)

Parses with python3-icalendar (Debian), checks what RFC 5545 and crm's
contract ask (CRLF line ends, lines of at most 75 octets, VERSION and
PRODID, one all-day event per entry with a unique UID, DTEND the day
after DTSTART), and prints one line per event, tab-separated:

    UID  DTSTART(YYYY-MM-DD)  SUMMARY

Exits 1 with a message on the first problem.  Uses /usr/bin/python3:
the Debian packages install their modules for that interpreter.
"""
import datetime
import sys

try:
    import icalendar
except ImportError:
    sys.exit("check-ics.py: python3-icalendar is not installed")


def fail(msg):
    sys.exit("check-ics.py: " + msg)


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
    cal = icalendar.Calendar.from_ical(raw)
    if cal.name != "VCALENDAR":
        fail("not a VCALENDAR")
    if str(cal.get("VERSION")) != "2.0":
        fail("VERSION is not 2.0")
    if not cal.get("PRODID"):
        fail("no PRODID")
    uids = set()
    for ev in cal.walk("VEVENT"):
        uid = str(ev.get("UID") or "")
        if not uid:
            fail("an event without UID")
        if uid in uids:
            fail("UID %s twice" % uid)
        uids.add(uid)
        for prop in ("DTSTAMP", "DTSTART", "DTEND", "SUMMARY"):
            if ev.get(prop) is None:
                fail("%s: no %s" % (uid, prop))
        start = ev.decoded("DTSTART")
        end = ev.decoded("DTEND")
        if isinstance(start, datetime.datetime) or \
                not isinstance(start, datetime.date):
            fail("%s: DTSTART is not a date" % uid)
        if end - start != datetime.timedelta(days=1):
            fail("%s: DTEND is not the day after DTSTART" % uid)
        summary = str(ev.get("SUMMARY")).replace("\n", "\\n")
        print("%s\t%s\t%s" % (uid, start.isoformat(), summary))


main()
