"""A document as an unsent e-mail that Outlook opens ready to send: ``main.py export email``.

:func:`render_email_draft` builds an RFC 5322 message with the standard library
(:class:`email.message.EmailMessage`, CRLF line ends): ``To``, ``Subject``, ``Date``,
``X-Unsent: 1`` and no ``From``. Outlook opens such a ``.eml`` file as a new message in the
compose window, with the Send button, and fills in ``From`` with the account it sends from
(with a ``From`` of its own the message would open as one received). The document is attached
with its MIME type and file name; the body is short plain text the secretary may add to.

:func:`response_email_text` and :func:`progress_email_text` word the subject, the body and
the attachment's file name from the documents' own content
(:class:`~esi_desktop.export.response_content.ResponseContent`,
:class:`~esi_desktop.export.progress_content.ProgressContent`).
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage, MIMEPart
from email.utils import format_datetime
from pathlib import PurePath

from esi_desktop.errors import ValidationError
from esi_desktop.export.calendar import CONTROL_CHARACTERS, one_line
from esi_desktop.export.progress_content import ProgressContent
from esi_desktop.export.response_content import ResponseContent
from esi_desktop.wording import long_date, plural

#: An address shown in the sentences that refuse one.
EXAMPLE_ADDRESS = "board.secretary@example.gov.uk"

#: The MIME types of the documents the application attaches, by file extension.
MIME_TYPES: dict[str, tuple[str, str]] = {
    ".pdf": ("application", "pdf"),
    ".docx": ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ".xlsx": ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ".ics": ("text", "calendar"),
    ".csv": ("text", "csv"),
}

_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
#: An address as people type one: name@example.gov.uk (a dotted domain, a top-level name).
_ADDRESS = re.compile(
    rf"{_ATEXT}+(?:\.{_ATEXT}+)*@(?:{_LABEL}\.)+(?:[A-Za-z]{{2,63}}|xn--[A-Za-z0-9-]{{1,59}})"
)
#: "Jane Smith <jane@example.gov.uk>", "\"Smith, Jane\" <jane@…>" or a bare address.
_NAMED = re.compile(r'(?P<name>"[^"]*"|[^"<>]*?)\s*<(?P<address>[^<>]*)>')
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*")
#: How the message is written: RFC 5322 with CRLF line ends; a header is folded only past
#: RFC 5322's 998 characters, so the attachment's name stays one ``filename="…"`` parameter
#: (Outlook reads a name split into RFC 2231 continuations badly).
_POLICY = policy.SMTP.clone(max_line_length=998)
#: Characters no file name may hold on Windows (where Outlook runs), nor a line break.
_NOT_IN_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')


def _split_addresses(typed: str) -> list[str]:
    """The addresses in what was typed, separated by ";" or "," as Outlook allows, keeping
    a comma inside a quoted name or angle brackets."""
    parts: list[str] = []
    current: list[str] = []
    quoted = bracketed = False
    for char in typed:
        if char == '"' and not bracketed:
            quoted = not quoted
        elif char == "<" and not quoted:
            bracketed = True
        elif char == ">" and not quoted:
            bracketed = False
        if char in ";," and not quoted and not bracketed:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


def _not_an_address(typed: str) -> ValidationError:
    return ValidationError(
        f"“{typed}” is not an e-mail address: type one such as {EXAMPLE_ADDRESS}.", "to"
    )


def parse_addresses(typed: str) -> tuple[Address, ...]:
    """The recipients in ``typed``: one address or several separated by ";" or ",", each
    bare or with a name ("Jane Smith <jane.smith@example.gov.uk>").

    Raises:
        ValidationError: nothing was typed, or a part is not an e-mail address (named).
    """
    parts = _split_addresses(typed)
    if not parts:
        raise ValidationError(
            f"Type the e-mail address to send it to, such as {EXAMPLE_ADDRESS}.", "to"
        )
    found = []
    for part in parts:
        name, address = "", part
        named = _NAMED.fullmatch(part)
        if named:
            name, address = named["name"].strip().strip('"'), named["address"].strip()
        if not _ADDRESS.fullmatch(address) or len(address) > 254:
            raise _not_an_address(part)
        local, domain = address.rsplit("@", 1)
        found.append(Address(display_name=one_line(name), username=local, domain=domain))
    return tuple(found)


def mime_type_for(filename: str) -> tuple[str, str]:
    """The MIME type of a document the application writes, by its extension
    (``("application", "pdf")`` for "plan.pdf"); "application/octet-stream" for others."""
    return MIME_TYPES.get(PurePath(filename).suffix.lower(), ("application", "octet-stream"))


def _check_filename(filename: str) -> str:
    name = filename.strip()
    if not name or _NOT_IN_NAMES.search(name) or name in {".", ".."}:
        raise ValidationError(
            f"“{filename}” cannot name the attachment: a file name has no folder and none "
            'of \\ / : * ? " < > |.',
            "filename",
        )
    return name


def render_email_draft(
    *,
    to: str,
    subject: str,
    body: str,
    attachment: bytes,
    filename: str,
    mime: tuple[str, str],
    now: datetime | None = None,
) -> bytes:
    """An unsent e-mail (an ``.eml`` file's bytes) with ``attachment`` attached.

    Args:
        to: one address or several separated by ";" or ","; each may carry a name.
        subject: the subject line (line breaks become spaces).
        body: the message, plain text; paragraphs separated by blank lines.
        attachment: the document's bytes.
        filename: the attachment's file name, as the recipient will save it.
        mime: its MIME type, as (maintype, subtype): :func:`mime_type_for`.
        now: the ``Date`` header; the current local time if None.

    Raises:
        ValidationError: ``to`` is not e-mail addresses, the subject is empty, or the file
            name or the MIME type cannot be used; the sentence names the value.
    """
    recipients = parse_addresses(to)
    subject_line = one_line(subject)
    if not subject_line:
        raise ValidationError("The e-mail needs a subject.", "subject")
    name = _check_filename(filename)
    maintype, subtype = mime
    if not (_TOKEN.fullmatch(maintype) and _TOKEN.fullmatch(subtype)):
        raise ValidationError(f"“{maintype}/{subtype}” is not a MIME type.", "mime")
    message = _unsent_message(recipients, subject_line, body, now)
    message.add_attachment(attachment, maintype=maintype, subtype=subtype, filename=name)
    for part in message.iter_parts():
        del part["MIME-Version"]  # the message's own header covers its parts
        if part.get_content_disposition() == "attachment":
            _name_in_content_type(part, f"{maintype}/{subtype}", name)
    return message.as_bytes(policy=_POLICY)


def _unsent_message(
    recipients: tuple[Address, ...], subject: str, body: str, now: datetime | None
) -> EmailMessage:
    """The unsent message's headers and plain-text body (no To header without recipients)."""
    # the content is encoded in lines of 76 (RFC 2045); the headers are folded on writing
    message = EmailMessage(policy=policy.SMTP)
    if recipients:
        message["To"] = recipients
    message["Subject"] = subject
    message["Date"] = format_datetime(now or datetime.now().astimezone())
    # Outlook opens a message marked unsent as a new one, ready to send, from the sender's
    # own account (so there is no From header)
    message["X-Unsent"] = "1"
    lines = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    text = "\n".join(CONTROL_CHARACTERS.sub("", line).rstrip() for line in lines)
    message.set_content(text.strip() + "\n", charset="utf-8", cte="quoted-printable")
    return message


def render_unsent_message(
    *, to: str, subject: str, body: str, now: datetime | None = None
) -> bytes:
    """An unsent e-mail with no attachment (an ``.eml`` file's bytes); with ``to`` empty
    there is no To header, and Outlook leaves the recipient for the sender to fill in.

    Raises:
        ValidationError: ``to`` is not e-mail addresses, or the subject is empty.
    """
    recipients = parse_addresses(to) if to.strip() else ()
    subject_line = one_line(subject)
    if not subject_line:
        raise ValidationError("The e-mail needs a subject.", "subject")
    return _unsent_message(recipients, subject_line, body, now).as_bytes(policy=_POLICY)


#: An address as written in a text: "Name <address>" or a bare address.
_WRITTEN_ADDRESS = re.compile(
    rf'(?:(?P<name>"[^"]*"|[^"<>,;]*?)\s*<\s*)?(?P<address>{_ADDRESS.pattern})(?(name)\s*>)'
)


def addresses_in(text: str) -> tuple[Address, ...]:
    """The e-mail addresses written in a text such as an action's owner
    ("Jane Smith <jane.smith@example.gov.uk>", or "ACO Operations jane@example.gov.uk"), each
    with its name when written as "Name <address>"; none when it holds none."""
    found = []
    for match in _WRITTEN_ADDRESS.finditer(text):
        address = match["address"]
        if len(address) > 254:
            continue
        local, domain = address.rsplit("@", 1)
        name = one_line((match["name"] or "").strip().strip('"'))
        found.append(Address(display_name=name, username=local, domain=domain))
    return tuple(found)


def _encoded_words(text: str) -> str:
    """``text`` as RFC 2047 encoded words (UTF-8, base64), each at most 75 characters and
    cut between characters, separated by spaces."""
    words: list[str] = []
    chunk = ""
    for character in text:
        if len(base64.b64encode((chunk + character).encode("utf-8"))) > 60:
            words.append(chunk)
            chunk = character
        else:
            chunk += character
    words.append(chunk)
    return " ".join(
        f"=?utf-8?b?{base64.b64encode(word.encode('utf-8')).decode('ascii')}?=" for word in words
    )


def _name_in_content_type(part: MIMEPart, mime: str, name: str) -> None:
    """The attachment's name in Content-Type too: Outlook 2010 and 2013 take it from there
    and read neither RFC 2231 (``name*=``) nor a name outside ASCII, so one outside ASCII is
    written as RFC 2047 encoded words in a quoted ``name`` (what Outlook itself writes;
    Content-Disposition keeps RFC 2231's ``filename*``, which later readers prefer)."""
    if name.isascii():
        part.set_param("name", name)
        return
    # set_raw: the email package would otherwise decode the words and write name*= again
    del part["Content-Type"]
    part.set_raw("Content-Type", f'{mime}; name="{_encoded_words(name)}"')


# ----- the words for the application's own documents -----------------------------------------


@dataclass(frozen=True)
class EmailText:
    """The subject, body and attachment name of an e-mail carrying one document."""

    subject: str
    body: str
    #: The attachment's file name without its extension: :meth:`filename` adds it.
    document_name: str

    def filename(self, extension: str) -> str:
        """ "Gloucestershire Probation Board response and action plan.pdf" for ".pdf"."""
        return f"{self.document_name}.{extension.lstrip('.')}"


#: The sign-off under each message; the secretary edits it in Outlook before sending.
SIGN_OFF = "Kind regards,\n\nBoard Secretary\n{board}"


def _file_safe(words: str) -> str:
    return " ".join(_NOT_IN_NAMES.sub(" ", words).split())


def _report(title: str, published: str) -> str:
    return f"HM Inspectorate of Probation’s report “{one_line(title)}” ({published})"


def response_email_text(content: ResponseContent) -> EmailText:
    """The e-mail for the response and action plan: the subject names the Board and the
    report; a draft says so, in the subject and in the body."""
    draft = bool(content.missing)
    what = "draft response and action plan" if draft else "response and action plan"
    paragraphs = [
        "Dear colleagues,",
        f"Please find attached the {content.board}’s {what} for "
        f"{_report(content.report_title, content.published_label)}, with the action plan "
        "that carries out each recommendation.",
    ]
    if draft:
        paragraphs.append(
            "It is not yet complete, so every page is marked DRAFT, its cover lists what is "
            "missing and it has no sign-off."
        )
    if content.sent_on is not None:
        paragraphs.append(f"It was sent to the Inspectorate on {long_date(content.sent_on)}.")
    elif content.response_due is None:  # a rated inspection: no deadline fixed, none agreed
        paragraphs.append(
            "No date is set yet for sending it to the Inspectorate: the Board sets an agreed date."
        )
    else:
        paragraphs.append(
            f"The response is due with the Inspectorate on {content.response_due_text}."
        )
    paragraphs.append(SIGN_OFF.format(board=content.board))
    return EmailText(
        subject=f"{content.board}: {what} (HMI Probation report, {content.published_label})",
        body="\n\n".join(paragraphs),
        document_name=_file_safe(
            f"{content.board} {what} {content.published_label}".replace(" draft ", " DRAFT ")
        ),
    )


def progress_email_text(content: ProgressContent) -> EmailText:
    """The e-mail for a Board progress paper: the meeting, the report, and in one paragraph
    what was completed, what is overdue and what extensions the Board is asked for."""
    meeting = long_date(content.meeting_date)
    undecided = sum(1 for r in content.requests if r.decision is None)
    position = [
        f"{plural(len(content.completed), 'item')} completed since {content.period.description}",
        f"{plural(len(content.overdue), 'item')} overdue",
    ]
    if undecided:
        position.append(f"{plural(undecided, 'extension request')} for the Board to decide")
    paragraphs = [
        "Dear colleagues,",
        f"Please find attached the Board progress paper for the meeting on {meeting}: progress "
        f"on the action plan responding to "
        f"{_report(content.report_title, content.published_label)}, as at "
        f"{long_date(content.as_at)}.",
        f"In brief: {'; '.join(position)}.",
        SIGN_OFF.format(board=content.board),
    ]
    return EmailText(
        subject=(
            f"{content.board} meeting of {meeting}: progress on the action plan "
            f"(HMI Probation report, {content.published_label})"
        ),
        body="\n\n".join(paragraphs),
        document_name=_file_safe(f"{content.board} progress paper {meeting}"),
    )
