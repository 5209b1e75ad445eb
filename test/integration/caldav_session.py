# Copyright 2026 mod_notimpl developers
# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""A calendar user's session with python3-caldav (Debian's CalDAV client
library), run by Debian's /usr/bin/python3 as a program of its own:
test_real_applications.py starts it against an httpd URL and reads what
the client saw from its standard output, one JSON object per response:
{"method", "path", "status", "body"}.

The session is what a calendar application does on first use: discover
the principal and its calendar home (PROPFIND), create a calendar
(MKCALENDAR), list the calendars (PROPFIND Depth 1), store an event (PUT),
search a date range (REPORT calendar-query), rename the calendar
(PROPPATCH), move the event (MOVE), read it back (GET), delete it and the
calendar (DELETE); then one junk method (BREW) on the calendar home.

Every request the library sends is recorded from the requests session's
response hook, so the record is the client's own traffic, in order, with
nothing picked by hand.  The event has a fixed UID and DTSTAMP, and the
calendar a fixed id, so two runs against two servers send the same bytes.

Usage: caldav_session.py URL USER PASSWORD"""

import datetime
import json
import sys
from urllib.parse import urlsplit

import caldav
from caldav.elements import dav
from requests.auth import HTTPBasicAuth

EVENT = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//mod_notimpl test//caldav_session//EN
BEGIN:VEVENT
UID:rollout-1
DTSTAMP:20260101T090000Z
DTSTART:20260105T100000Z
DTEND:20260105T110000Z
SUMMARY:Switch NotImplEngine On
END:VEVENT
END:VCALENDAR
"""


def main(url, user, password):
    seen = []

    def record(resp, *args, **kwargs):
        seen.append({"method": resp.request.method,
                     "path": urlsplit(resp.request.url).path,
                     "status": resp.status_code,
                     "body": resp.content.decode("utf-8", "replace")})

    # Credentials up front, as a configured calendar client sends them.
    client = caldav.DAVClient(url, auth=HTTPBasicAuth(user, password),
                              timeout=20)
    client.session.hooks["response"].append(record)

    principal = client.principal()
    calendar = principal.make_calendar(name="Work", cal_id="work")
    principal.calendars()
    event = calendar.save_event(EVENT)
    found = calendar.date_search(start=datetime.datetime(2026, 1, 5),
                                 end=datetime.datetime(2026, 1, 6),
                                 expand=False)
    assert len(found) == 1, found
    calendar.set_properties([dav.DisplayName("Work (renamed)")])
    moved = str(event.url).replace("rollout-1.ics", "rollout-2.ics")
    client.request(event.url, "MOVE",
                   headers={"Destination": moved, "Overwrite": "F"})
    client.request(moved, "GET")
    client.delete(moved)
    calendar.delete()
    client.request(principal.url, "BREW")
    client.close()
    for entry in seen:
        print(json.dumps(entry))


if __name__ == "__main__":
    main(*sys.argv[1:4])
