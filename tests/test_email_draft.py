"""Documents as unsent e-mails Outlook opens ready to send (issue 14 §6): read back with the
standard library's parser."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import peewee
import pytest

from db.models import Recommendation
from esi_desktop import plan
from esi_desktop.errors import ValidationError
from esi_desktop.export import progress_content, response_content
from esi_desktop.export.email_draft import (
    mime_type_for,
    progress_email_text,
    render_email_draft,
    response_email_text,
)
from esi_desktop.files import EML, write_atomically
from esi_desktop.inspections import list_inspections

TODAY = date(2005, 6, 1)
NOW = datetime(2005, 6, 1, 9, 30, tzinfo=UTC)
PDF = b"%PDF-1.4\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def draft(**changes: object) -> bytes:
    values: dict[str, object] = {
        "to": "board.secretary@gloucestershire.probation.gov.uk",
        "subject": "Gloucestershire Probation Board: response and action plan",
        "body": "Dear colleagues,\n\nPlease find attached the Board’s response.\n",
        "attachment": PDF,
        "filename": "Gloucestershire response.pdf",
        "mime": ("application", "pdf"),
        "now": NOW,
    }
    values.update(changes)
    return render_email_draft(**values)  # type: ignore[arg-type]


def parse(data: bytes) -> EmailMessage:
    message = BytesParser(policy=policy.default).parsebytes(data)
    assert isinstance(message, EmailMessage)
    return message


def plain(part: object) -> str:
    """A text part's words with the file's CRLF line ends read as newlines."""
    assert isinstance(part, EmailMessage)
    content = part.get_content()
    assert isinstance(content, str)
    return content.replace("\r\n", "\n")


def test_an_unsent_draft_with_the_document_attached() -> None:
    message = parse(draft())
    assert message["X-Unsent"] == "1"
    assert message["To"] == "board.secretary@gloucestershire.probation.gov.uk"
    assert message["Subject"] == "Gloucestershire Probation Board: response and action plan"
    assert message["Date"].datetime == NOW
    assert "From" not in message  # Outlook fills it in from the account it sends with
    body = message.get_body(preferencelist=("plain",))
    assert plain(body) == "Dear colleagues,\n\nPlease find attached the Board’s response.\n"
    attachments = list(message.iter_attachments())
    assert len(attachments) == 1
    attachment = attachments[0]
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == "Gloucestershire response.pdf"
    assert attachment.get_content_disposition() == "attachment"
    assert attachment.get_content() == PDF


def test_the_file_is_rfc_5322_with_crlf_and_short_encoded_lines() -> None:
    data = draft(body="A line of text that goes on. " * 20)
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert max(len(line) for line in data.split(b"\r\n")) <= 998
    # the encoded body and attachment keep RFC 2045's 76 characters a line
    parts = data.split(b"\r\n\r\n")
    assert all(len(line) <= 76 for line in parts[-2].split(b"\r\n"))
    # the attachment's name is one parameter: Outlook reads RFC 2231 continuations badly
    assert b'filename="Gloucestershire response.pdf"' in data
    assert b'Content-Type: application/pdf; name="Gloucestershire response.pdf"' in data


def test_a_name_outside_ascii_and_a_word_document_read_back() -> None:
    name = "Ynys Môn Probation Board – response.docx"
    message = parse(draft(filename=name, mime=mime_type_for(name)))
    attachment = next(message.iter_attachments())
    assert attachment.get_content_type() == DOCX
    assert attachment.get_filename() == name
    assert attachment.get_content() == PDF


@pytest.mark.parametrize(
    "name",
    [
        "Ynys Môn Probation Board response and action plan January 2005.pdf",
        "Gwent – Cymru Probation Board DRAFT response and action plan January 2005 with a much "
        "longer name that goes past the line length.pdf",
    ],
)
def test_a_name_outside_ascii_is_in_content_type_as_rfc_2047_words_for_older_outlook(
    name: str,
) -> None:
    # review 14, finding 9: Outlook 2010 and 2013 read neither RFC 2231 nor raw UTF-8 in name
    from email.header import decode_header, make_header

    data = draft(filename=name, mime=mime_type_for(name))
    lines = data.decode("ascii").split("\r\n")
    (content_type,) = [line for line in lines if line.startswith("Content-Type: application/")]
    assert "name*=" not in content_type
    quoted = re.fullmatch(r'Content-Type: application/pdf; name="([^"]+)"', content_type)
    assert quoted is not None
    words = quoted.group(1).split(" ")
    assert all(re.fullmatch(r"=\?utf-8\?b\?[A-Za-z0-9+/=]+\?=", w) and len(w) <= 75 for w in words)
    assert str(make_header(decode_header(quoted.group(1)))) == name
    (disposition,) = [line for line in lines if line.startswith("Content-Disposition:")]
    assert "filename*=utf-8''" in disposition  # what later readers prefer
    attachment = next(parse(data).iter_attachments())
    assert attachment.get_filename() == name
    assert attachment.get_param("name") == name
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_content() == PDF


def test_several_addresses_with_names() -> None:
    message = parse(draft(to='"Smith, Jane" <jane.smith@example.gov.uk>; bob@example.gov.uk'))
    addresses = message["To"].addresses
    assert [a.addr_spec for a in addresses] == ["jane.smith@example.gov.uk", "bob@example.gov.uk"]
    assert addresses[0].display_name == "Smith, Jane"


@pytest.mark.parametrize(
    "typed",
    ["board secretary@", "a@b", "jane@example", "jane.example.gov.uk", "a@b.c@d.com",
     "jane@@example.gov.uk", "Jane <jane@example>", "jane@example.gov.uk\nBcc: x@y.com"],
)  # fmt: skip
def test_a_bad_address_is_refused_by_name(typed: str) -> None:
    with pytest.raises(ValidationError) as raised:
        draft(to=f"ok@example.gov.uk; {typed}")
    message = str(raised.value)
    assert message.startswith(f"“{typed}” is not an e-mail address")
    # one sentence, ending with an address to copy
    assert message.endswith(": type one such as board.secretary@example.gov.uk.")
    assert raised.value.field == "to"


def test_no_address_at_all_is_refused() -> None:
    with pytest.raises(ValidationError, match="Type the e-mail address"):
        draft(to=" ; ")


def test_a_header_cannot_be_smuggled_in_by_the_subject() -> None:
    message = parse(draft(subject="Plan\r\nBcc: someone@example.com"))
    assert message["Subject"] == "Plan Bcc: someone@example.com"
    assert "Bcc" not in message


def test_control_characters_are_dropped_from_subject_and_body() -> None:
    message = parse(draft(subject="Plan\x01 for\x0cthe Board", body="One\x0b two\x00.\r\nThree"))
    assert message["Subject"] == "Plan for the Board"
    assert plain(message.get_body(preferencelist=("plain",))) == "One two.\nThree\n"


@pytest.mark.parametrize("name", ["", "..\\plan.pdf", "folder/plan.pdf", "plan\n.pdf"])
def test_a_bad_attachment_name_is_refused(name: str) -> None:
    with pytest.raises(ValidationError):
        draft(filename=name)


def test_mime_types_by_extension() -> None:
    assert mime_type_for("plan.PDF") == ("application", "pdf")
    assert mime_type_for("plan.docx") == ("application", DOCX.split("/")[1])
    assert mime_type_for("plan.xlsx")[1].endswith("spreadsheetml.sheet")
    assert mime_type_for("plan.ics") == ("text", "calendar")
    assert mime_type_for("plan") == ("application", "octet-stream")


def test_written_atomically_as_an_email(tmp_path: Path) -> None:
    data = draft()
    written = write_atomically(tmp_path / "response.eml", data, kind=EML)
    assert parse(written.read_bytes())["X-Unsent"] == "1"


# ----- the words for the application's documents ---------------------------------------------


@pytest.fixture
def inspection_id(sample_db: peewee.Database) -> int:
    inspection_id = list_inspections()[0].id
    first = Recommendation.get(Recommendation.reference == "1").id
    action = plan.add_action(
        inspection_id=inspection_id,
        recommendation_ids=[first],
        text="Draw up a costed staff training plan",
        owner="Head of Learning and Development",
        target_date=date(2005, 9, 30),
    )
    milestone = plan.add_milestone(
        action_id=action, title="Needs analysis", due_date=date(2005, 4, 30), today=TODAY
    )
    plan.update_milestone(
        milestone_id=milestone,
        changes={"status": "Complete", "completed_on": date(2005, 4, 28)},
        today=TODAY,
    )
    plan.add_milestone(
        action_id=action, title="Draft to the Board", due_date=date(2005, 5, 20), today=TODAY
    )
    plan.add_board_meeting(inspection_id=inspection_id, meeting_date=date(2005, 3, 14))
    return inspection_id


def test_response_email_words(inspection_id: int) -> None:
    text = response_email_text(response_content(inspection_id=inspection_id, today=TODAY))
    # the sample plan is far from complete: the document is a draft, and the e-mail says so
    assert text.subject == (
        "Gloucestershire Probation Board: draft response and action plan "
        "(HMI Probation report, January 2005)"
    )
    assert "every page is marked DRAFT" in text.body
    assert "The response is due with the Inspectorate on 1 April 2005" in text.body
    assert text.body.startswith("Dear colleagues,\n\nPlease find attached the Gloucestershire")
    assert text.filename("pdf") == (
        "Gloucestershire Probation Board DRAFT response and action plan January 2005.pdf"
    )
    message = parse(draft(subject=text.subject, body=text.body, filename=text.filename(".docx")))
    assert message["Subject"] == text.subject
    assert plain(message.get_body(preferencelist=("plain",))) == text.body + "\n"


def test_progress_email_words(inspection_id: int) -> None:
    content = progress_content(
        inspection_id=inspection_id, meeting_date=date(2005, 5, 26), today=TODAY
    )
    text = progress_email_text(content)
    assert text.subject == (
        "Gloucestershire Probation Board meeting of 26 May 2005: progress on the action plan "
        "(HMI Probation report, January 2005)"
    )
    assert "the Board progress paper for the meeting on 26 May 2005" in text.body
    assert (
        "In brief: 1 item completed since the Board meeting of 14 March 2005; 1 item overdue."
        in text.body
    )
    assert text.filename("pdf") == "Gloucestershire Probation Board progress paper 26 May 2005.pdf"
