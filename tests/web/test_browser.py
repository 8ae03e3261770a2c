"""The citizen page, the widget and the agent console in a real browser.

Headless Chromium from Debian (/usr/bin/chromium, installed by `make test`), driven by
Playwright for Python; no browser is downloaded. axe-core comes from npm (node_modules) and is
injected by the test. Screenshots go to screenshots/ (git-ignored) for a person to look at; the
copies of the widget at 390 × 800 and 1280 × 900 in docs/screenshots/ are taken from there by
hand when the widget's look changes, so a test run leaves the checkout clean.
"""

from __future__ import annotations

import json
import re
import sqlite3
import time
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect, sync_playwright

from assistant.settings import PROJECT_ROOT
from assistant.stack import Stack

pytestmark = [pytest.mark.servers, pytest.mark.model]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
AXE = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = PROJECT_ROOT / "screenshots"
REPLY_TIMEOUT = 60_000
CODE = re.compile(r"Gesprächscode: ([A-Z0-9]{3}-[A-Z0-9]{3})")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail("Chromium is missing: `make test` installs it (apt-get install chromium).")
    SCREENSHOTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture()
def context(browser: Browser, stack: Stack) -> Iterator[BrowserContext]:
    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 860})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=stack.settings.web_url)
    context.set_default_timeout(30_000)
    yield context
    context.close()


@pytest.fixture()
def watched(context: BrowserContext, stack: Stack) -> Iterator[dict[str, list[str]]]:
    """Records what no page may do: break its CSP or talk to any server but ours."""
    seen: dict[str, list[str]] = {"csp": [], "hosts": []}
    ours = {urlsplit(stack.settings.web_url).netloc, urlsplit(stack.settings.rasa_url).netloc}

    def on_page(page: Page) -> None:
        page.on("console", lambda message: seen["csp"].append(message.text)
                if "Content Security Policy" in message.text else None)
        page.on("request", lambda request: seen["hosts"].append(request.url)
                if urlsplit(request.url).scheme in ("http", "https")
                and urlsplit(request.url).netloc not in ours else None)
        page.on("websocket", lambda socket: seen["hosts"].append(socket.url)
                if urlsplit(socket.url).netloc not in ours else None)

    context.on("page", on_page)
    yield seen
    assert seen["csp"] == [], "the page broke its Content-Security-Policy"
    assert seen["hosts"] == [], "the page contacted a third-party origin"


@pytest.fixture()
def page(context: BrowserContext, watched: dict[str, list[str]]) -> Page:
    return context.new_page()


# -- helpers -------------------------------------------------------------------------------------


def widget(page: Page) -> dict[str, Locator]:
    dialog = page.get_by_role("dialog", name="Digitaler Assistent der Stadt Bochum")
    return {
        "launcher": page.get_by_role("button", name="Fragen zu Efus und DEFUS"),
        "dialog": dialog,
        "log": dialog.get_by_role("log", name="Gesprächsverlauf"),
        "input": dialog.get_by_role("textbox", name="Ihre Frage"),
        "suggestions": dialog.get_by_role("group", name="Antwortvorschläge").get_by_role("button"),
        "bot": dialog.locator("li.from-bot"),
    }


def open_by_mouse(page: Page, stack: Stack) -> dict[str, Locator]:
    page.goto(f"{stack.settings.web_url}/")
    parts = widget(page)
    parts["launcher"].click()
    expect(parts["log"]).to_contain_text("Guten Tag", timeout=REPLY_TIMEOUT)
    return parts


def ask(parts: dict[str, Locator], question: str, expected: str) -> Locator:
    count = parts["bot"].count()
    parts["input"].fill(question)
    parts["input"].press("Enter")
    expect(parts["bot"]).to_have_count(count + 1, timeout=REPLY_TIMEOUT)
    answer = parts["bot"].nth(count)
    expect(answer).to_contain_text(expected)
    return answer


def is_focused(locator: Locator) -> bool:
    return bool(locator.evaluate("el => el.getRootNode().activeElement === el"))


def run_axe(page: Page, name: str, watched: dict[str, list[str]]) -> list[dict[str, Any]]:
    """axe-core on the whole page (shadow DOM included); returns serious and critical violations."""
    before = len(watched["csp"])
    page.evaluate(AXE.read_text(encoding="utf-8"))
    results = page.evaluate("""() => axe.run(document, {
        runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
        resultTypes: ["violations"]
    })""")
    summary = [{"id": item["id"], "impact": item["impact"], "help": item["help"],
                "targets": [node["target"] for node in item["nodes"]]} for item in results["violations"]]
    # axe itself sets inline styles while it checks (the page's CSP rightly blocks them).
    del watched["csp"][before:]
    (SCREENSHOTS / f"axe-{name}.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False),
                                                 encoding="utf-8")
    return [item for item in summary if item["impact"] in ("serious", "critical")]


def login(page: Page, stack: Stack) -> None:
    page.goto(f"{stack.settings.web_url}/agent")
    page.get_by_label("Zugangsschlüssel").fill(stack.settings.agent_token())
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_role("searchbox", name="Suchbegriff")).to_be_visible()


# -- the citizen -----------------------------------------------------------------------------------


def test_keyboard_only_question_answer_and_reload(page: Page, stack: Stack):
    page.goto(f"{stack.settings.web_url}/")
    parts = widget(page)
    for _ in range(40):
        page.keyboard.press("Tab")
        if is_focused(parts["launcher"]):
            break
    else:
        pytest.fail("The chat launcher cannot be reached with the Tab key.")
    expect(parts["launcher"]).to_have_attribute("aria-expanded", "false")
    page.keyboard.press("Enter")
    expect(parts["launcher"]).to_have_attribute("aria-expanded", "true")
    expect(parts["dialog"]).to_be_visible()
    assert is_focused(parts["input"]), "opening the chat moves the focus into the input field"

    # A short greeting with suggestions.
    expect(parts["log"]).to_contain_text("Guten Tag", timeout=REPLY_TIMEOUT)
    expect(parts["suggestions"]).to_have_count(4)

    # The typing indicator is a status message while the bot works.
    page.evaluate("""() => {
        const typing = document.querySelector(".efus-defus-assistent").shadowRoot.querySelector(".typing");
        window.typingSeen = [];
        new MutationObserver(() => window.typingSeen.push(typing.textContent))
            .observe(typing, {childList: true, characterData: true, subtree: true});
    }""")
    page.keyboard.type("Wann wurde DEFUS gegründet?")
    page.keyboard.press("Enter")
    answer = parts["bot"].nth(1)
    expect(answer).to_contain_text("2010", timeout=REPLY_TIMEOUT)
    # The question asks for a time: only the founding fact answers it, with its one source.
    expect(answer).to_contain_text("Quelle: Stadt Bochum, Seite „Internationale Netzwerke“")
    assert "Der Assistent schreibt …" in page.evaluate("window.typingSeen")
    assert is_focused(parts["input"])
    page.screenshot(path=SCREENSHOTS / "widget-keyboard.png")

    # Escape closes the chat and gives the focus back to the launcher.
    page.keyboard.press("Escape")
    expect(parts["dialog"]).to_be_hidden()
    assert is_focused(parts["launcher"])
    page.keyboard.press("Enter")
    expect(parts["dialog"]).to_be_visible()

    # After a reload the conversation is still there, and the bot still knows it.
    page.reload()
    parts = widget(page)
    expect(parts["dialog"]).to_be_visible()
    expect(parts["log"]).to_contain_text("Wann wurde DEFUS gegründet?")
    expect(parts["log"]).to_contain_text("10. Mai 2010")
    ask(parts, "Und wie viele Mitglieder hat es?", "18 Städte und 2 Organisationen")
    page.screenshot(path=SCREENSHOTS / "widget-after-reload.png")


def test_suggestion_links_and_feedback_by_mouse(page: Page, stack: Stack):
    parts = open_by_mouse(page, stack)
    parts["suggestions"].filter(has_text="Was ist Efus?").click()
    expect(parts["dialog"].locator("li.from-user").last).to_have_text("Sie:Was ist Efus?")
    expect(parts["bot"].nth(1)).to_contain_text("Europäische Forum für urbane Sicherheit", timeout=REPLY_TIMEOUT)
    expect(parts["suggestions"]).to_have_count(0)  # answered suggestions go away

    answer = ask(parts, "Wie lautet die Website von DEFUS?", "https://www.defus.de")
    link = answer.get_by_role("link", name="https://www.defus.de (öffnet in neuem Tab)").first
    expect(link).to_have_attribute("href", "https://www.defus.de")
    expect(link).to_have_attribute("rel", "noopener noreferrer")
    expect(link).to_contain_text("(öffnet in neuem Tab)")

    rating = answer.get_by_role("group", name="War diese Antwort hilfreich?")
    down = rating.get_by_role("button", name="Nein, nicht hilfreich")
    down.click()
    expect(down).to_have_attribute("aria-pressed", "true")
    expect(rating).to_contain_text("Danke für Ihre Rückmeldung!")
    expect(rating.get_by_role("button", name="Ja, hilfreich")).to_have_attribute("aria-pressed", "false")
    page.screenshot(path=SCREENSHOTS / "widget-suggestion-feedback.png")


def test_reconnects_after_a_dropped_connection(page: Page, context: BrowserContext, stack: Stack):
    parts = open_by_mouse(page, stack)
    ask(parts, "Wann wurde DEFUS gegründet?", "10. Mai 2010")
    context.set_offline(True)
    status = parts["dialog"].get_by_role("status").filter(has_text="Verbindung")
    expect(status).to_contain_text("Die Verbindung ist unterbrochen")
    context.set_offline(False)
    expect(parts["dialog"]).to_contain_text("Wieder verbunden.", timeout=REPLY_TIMEOUT)
    # Same conversation after reconnecting: "es" is still DEFUS.
    ask(parts, "Und wie viele Mitglieder hat es?", "18 Städte und 2 Organisationen")


def test_no_serious_accessibility_violations_with_the_widget_open(page: Page, stack: Stack, watched):
    parts = open_by_mouse(page, stack)
    ask(parts, "Wann wurde DEFUS gegründet?", "2010")
    violations = run_axe(page, "citizen-page", watched)
    assert violations == [], json.dumps(violations, indent=2, ensure_ascii=False)
    # And with the „Datenschutz“ disclosure open (its confirmation: test_privacy_note_and_…).
    privacy = privacy_parts(parts)
    open_privacy(privacy)
    expect(privacy["delete"]).to_be_visible()
    violations = run_axe(page, "citizen-page-privacy-open", watched)
    assert violations == [], json.dumps(violations, indent=2, ensure_ascii=False)


# -- privacy: the note and „Gespräch löschen“ ------------------------------------------------------

STORE_KEY = "efus-defus-assistent:v1"
DELETED = "Ihr Gespräch wurde gelöscht. Sie können jederzeit eine neue Frage stellen."


def stored_events(stack: Stack, sender_id: str) -> int:
    with sqlite3.connect(stack.settings.var_dir / "tracker.db") as db:
        return db.execute("SELECT COUNT(*) FROM events WHERE sender_id = ?", (sender_id,)).fetchone()[0]


def saved_events(stack: Stack, sender_id: str, timeout: float = 20) -> int:
    """The events of a conversation once its turn is saved: Rasa sends the reply first."""
    for _ in range(int(timeout * 10)):
        if count := stored_events(stack, sender_id):
            return count
        time.sleep(0.1)
    return 0


def widget_storage(page: Page) -> str:
    return page.evaluate(f"() => sessionStorage.getItem({STORE_KEY!r}) || ''")


def privacy_parts(parts: dict[str, Locator]) -> dict[str, Locator]:
    # The full note is the group the „Datenschutz“ disclosure opens.
    note = parts["dialog"].get_by_role("group", name="Datenschutz")
    confirmation = note.get_by_role("group", name=re.compile("Gespräch wirklich löschen"))
    return {
        "toggle": parts["dialog"].get_by_role("button", name="Datenschutz", exact=True),
        "note": note,
        "delete": note.get_by_role("button", name="Gespräch löschen"),
        "confirmation": confirmation,
        "yes": confirmation.get_by_role("button", name="Ja, löschen"),
        "no": confirmation.get_by_role("button", name="Abbrechen"),
        "status": note.get_by_role("status"),
    }


def open_privacy(privacy: dict[str, Locator]) -> None:
    """Opens the „Datenschutz“ disclosure (the short line under the input field is always there)."""
    if privacy["toggle"].get_attribute("aria-expanded") != "true":
        privacy["toggle"].click()
    expect(privacy["toggle"]).to_have_attribute("aria-expanded", "true")


def test_privacy_note_and_deleting_the_conversation(page: Page, stack: Stack, watched):
    parts = open_by_mouse(page, stack)
    privacy = privacy_parts(parts)
    open_privacy(privacy)
    expect(privacy["note"]).to_be_visible()
    expect(privacy["note"]).to_contain_text(
        "Wir speichern Ihre Nachrichten, um Ihre Fragen zu beantworten und den Assistenten zu verbessern, "
        f"und löschen sie automatisch {stack.settings.retention_days} Tage nach Ihrer letzten Nachricht. "
        "E-Mail-Adressen, Telefonnummern, Konto-, Karten-, Ausweis-, Steuer- und Versicherungsnummern "
        "sowie Geburtsdaten entfernen wir vor dem Speichern. "
        "Bitte geben Sie keine persönlichen Daten wie Namen oder Adressen ein. "
        "Ihr Gespräch können Sie jederzeit selbst löschen: Gespräch löschen")
    expect(parts["input"]).to_have_accessible_description(
        "Bitte geben Sie keine persönlichen Daten wie Namen oder Adressen ein.")
    ask(parts, "Wann wurde DEFUS gegründet?", "10. Mai 2010")
    old_session = json.loads(widget_storage(page))["sessionId"]
    assert saved_events(stack, old_session) > 0

    # The confirmation is part of the widget, reached and left by keyboard, and accessible.
    privacy["delete"].focus()
    page.keyboard.press("Enter")
    expect(privacy["confirmation"]).to_be_visible()
    expect(privacy["delete"]).to_be_hidden()
    assert is_focused(privacy["no"]), "the focus lands on the harmless choice"
    page.screenshot(path=SCREENSHOTS / "widget-delete-confirmation.png")
    violations = run_axe(page, "widget-delete-confirmation", watched)
    assert violations == [], json.dumps(violations, indent=2, ensure_ascii=False)
    page.keyboard.press("Enter")  # „Abbrechen“
    expect(privacy["confirmation"]).to_be_hidden()
    assert is_focused(privacy["delete"])
    page.keyboard.press("Enter")
    expect(privacy["confirmation"]).to_be_visible()
    page.keyboard.press("Escape")  # leaves the confirmation, not the chat
    expect(privacy["confirmation"]).to_be_hidden()
    expect(parts["dialog"]).to_be_visible()
    expect(parts["log"]).to_contain_text("10. Mai 2010")
    assert stored_events(stack, old_session) > 0

    privacy["delete"].click()
    privacy["yes"].click()
    expect(privacy["status"]).to_have_text(DELETED)
    expect(parts["log"].locator("li")).to_have_count(0)
    assert is_focused(parts["input"])
    stored = widget_storage(page)
    assert old_session not in stored and "DEFUS" not in stored
    assert stored_events(stack, old_session) == 0
    page.screenshot(path=SCREENSHOTS / "widget-deleted.png")

    # A reload starts afresh: a greeting, nothing of the old conversation, here or on the server.
    page.reload()
    parts = widget(page)
    expect(parts["log"]).to_contain_text("Guten Tag", timeout=REPLY_TIMEOUT)
    expect(parts["dialog"].locator("li.from-user")).to_have_count(0)
    expect(parts["log"]).not_to_contain_text("10. Mai 2010")
    assert json.loads(widget_storage(page))["sessionId"] != old_session
    assert stored_events(stack, old_session) == 0


def test_deleting_without_a_connection_says_so_and_deletes_nothing(page: Page, context: BrowserContext,
                                                                   stack: Stack):
    parts = open_by_mouse(page, stack)
    privacy = privacy_parts(parts)
    ask(parts, "Wann wurde DEFUS gegründet?", "10. Mai 2010")
    session = json.loads(widget_storage(page))["sessionId"]
    context.set_offline(True)
    expect(parts["dialog"].get_by_role("status").filter(has_text="Verbindung")).to_contain_text(
        "Die Verbindung ist unterbrochen")

    open_privacy(privacy)
    privacy["delete"].click()
    privacy["yes"].click()
    expect(privacy["status"]).to_have_text(
        "Das Gespräch konnte nicht gelöscht werden, weil gerade keine Verbindung zum Server besteht. "
        "Bitte versuchen Sie es gleich noch einmal.")
    assert is_focused(privacy["delete"])
    expect(parts["log"]).to_contain_text("10. Mai 2010")

    # Nothing was queued to be sent behind the citizen's back once the connection is back.
    context.set_offline(False)
    expect(parts["dialog"]).to_contain_text("Wieder verbunden.", timeout=REPLY_TIMEOUT)
    ask(parts, "Und wie viele Mitglieder hat es?", "18 Städte und 2 Organisationen")
    assert json.loads(widget_storage(page))["sessionId"] == session
    assert saved_events(stack, session) > 0


# -- room for the conversation: the privacy disclosure, sources as linked titles ---------------------

SHORT_PRIVACY_LINE = "Keine persönlichen Daten eingeben."
FULL_PRIVACY_START = "Wir speichern Ihre Nachrichten, um Ihre Fragen zu beantworten"


def focused_element(page: Page) -> str:
    """What has the focus inside the widget's shadow root, for failure messages."""
    return page.evaluate("""() => {
        const active = document.querySelector(".efus-defus-assistent").shadowRoot.activeElement;
        return active ? active.outerHTML.slice(0, 120) : "nothing";
    }""")


def tab_to(page: Page, target: Locator, limit: int = 10) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if is_focused(target):
            return
    pytest.fail(f"Tab never reaches {target}; the focus is on {focused_element(page)}")


def test_privacy_disclosure_by_keyboard(page: Page, stack: Stack, watched):
    page.goto(f"{stack.settings.web_url}/")
    parts = widget(page)
    tab_to(page, parts["launcher"], limit=40)
    page.keyboard.press("Enter")
    expect(parts["log"]).to_contain_text("Guten Tag", timeout=REPLY_TIMEOUT)
    privacy = privacy_parts(parts)

    # First opening: the short line and the toggle are visible, the full note is not.
    expect(parts["dialog"].get_by_text(SHORT_PRIVACY_LINE, exact=True)).to_be_visible()
    toggle = privacy["toggle"]
    expect(toggle).to_be_visible()
    expect(toggle).to_have_accessible_name("Datenschutz")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_have_attribute("aria-controls", "efa-privacy-details")
    expect(parts["dialog"].get_by_text(FULL_PRIVACY_START)).to_be_hidden()
    expect(parts["dialog"].get_by_role("button", name="Gespräch löschen")).to_be_hidden()
    # The input's hint exists while the note is closed, so a screen reader still reads it.
    expect(parts["input"]).to_have_accessible_description(
        "Bitte geben Sie keine persönlichen Daten wie Namen oder Adressen ein.")

    # Tab from the input field to the toggle; Enter opens the note.
    assert is_focused(parts["input"])
    tab_to(page, toggle)
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    note = privacy["note"]
    expect(note).to_be_visible()
    expect(note).to_have_accessible_name("Datenschutz")
    expect(note).to_contain_text(FULL_PRIVACY_START)
    expect(note).to_contain_text(f"{stack.settings.retention_days} Tage nach Ihrer letzten Nachricht")
    expect(privacy["delete"]).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "widget-privacy-open.png")

    # Escape closes the note (not the chat) and gives the focus back to the toggle.
    page.keyboard.press("Escape")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(note).to_be_hidden()
    expect(parts["dialog"]).to_be_visible()
    assert is_focused(toggle), focused_element(page)

    # Space opens it too; from „Gespräch löschen“ inside it, Escape closes it as well.
    page.keyboard.press("Space")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    tab_to(page, privacy["delete"], limit=3)
    page.keyboard.press("Escape")
    expect(note).to_be_hidden()
    assert is_focused(toggle), focused_element(page)
    # With the note closed, Escape closes the chat as before.
    page.keyboard.press("Escape")
    expect(parts["dialog"]).to_be_hidden()
    assert is_focused(parts["launcher"])


def stored_bot_message(page: Page, text: str) -> dict[str, Any]:
    """The bot message the widget received (and keeps in sessionStorage) that contains `text`."""
    messages = json.loads(widget_storage(page))["messages"]
    return next(message for message in messages if message["from"] == "bot" and text in message["text"])


def assert_linked_sources(answer: Locator, message: dict[str, Any]) -> None:
    """The footer shows the titles of the sources the bot sent, each linked to its address."""
    sources = message.get("sources") or []
    cited = "; ".join(f"{source['title']}, {source['url']}" if source["url"] else source["title"]
                      for source in sources)
    label = "Quelle" if len(sources) == 1 else "Quellen"
    # The sources beside the text are exactly those of its plain footer (what REST clients see).
    assert f"\n\n{label}: {cited}" in message["text"], message
    linked = [source for source in sources if source["url"]]
    assert linked and len(linked) < len(sources), f"pick a question with sources with and without address: {sources}"
    footer = answer.locator("p.source").filter(has_text=f"{label}:")
    expect(footer).to_have_count(1)
    expect(footer).to_contain_text(f"{label}: {sources[0]['title']}")
    links = footer.get_by_role("link")
    expect(links).to_have_count(len(linked))
    for link, source in zip(links.all(), linked, strict=True):
        expect(link).to_have_accessible_name(f"{source['title']} (öffnet in neuem Tab)")
        expect(link).to_have_attribute("href", source["url"])
        expect(link).to_have_attribute("target", "_blank")
        expect(link).to_have_attribute("rel", "noopener noreferrer")
    # A source without address (the city's own page) is its title as plain text.
    for source in sources:
        if not source["url"]:
            expect(footer).to_contain_text(source["title"])
            expect(footer.get_by_role("link", name=source["title"])).to_have_count(0)
    # "Stand: …" stays as it is, and no raw address is shown.
    stand = re.search(r"\nStand: \d{2}\.\d{2}\.\d{4}$", message["text"])
    if stand:
        expect(footer).to_contain_text(stand.group(0).strip())
    assert "http" not in answer.locator(".bubble").inner_text()


def test_sources_are_shown_as_linked_titles_also_after_a_reload(page: Page, stack: Stack):
    parts = open_by_mouse(page, stack)
    topics = ask(parts, "Welche Themen hat DEFUS?", "Sicherheit im öffentlichen Raum")
    assert_linked_sources(topics, stored_bot_message(page, "Sicherheit im öffentlichen Raum"))
    members = ask(parts, "Wie viele Mitglieder hat Efus?", "circa 250")
    assert_linked_sources(members, stored_bot_message(page, "circa 250"))

    page.reload()
    parts = widget(page)
    expect(parts["log"]).to_contain_text("Sicherheit im öffentlichen Raum")
    assert_linked_sources(parts["bot"].filter(has_text="Sicherheit im öffentlichen Raum"),
                          stored_bot_message(page, "Sicherheit im öffentlichen Raum"))
    assert_linked_sources(parts["bot"].filter(has_text="circa 250"), stored_bot_message(page, "circa 250"))


def panel_share(page: Page) -> dict[str, float]:
    return page.evaluate("""() => {
        const root = document.querySelector(".efus-defus-assistent").shadowRoot;
        const height = selector => root.querySelector(selector).getBoundingClientRect().height;
        return {panel: height(".panel"), log: height(".log"), privacy: height(".privacy")};
    }""")


@pytest.mark.parametrize("width, height", [(390, 800), (1280, 900)])
def test_two_answers_fit_in_the_message_log(browser: Browser, stack: Stack, width: int, height: int):
    context = browser.new_context(locale="de-DE", viewport={"width": width, "height": height})
    context.set_default_timeout(30_000)
    try:
        page = context.new_page()
        parts = open_by_mouse(page, stack)
        ask(parts, "Wann wurde DEFUS gegründet?", "10. Mai 2010")
        ask(parts, "Wo sitzt Efus?", "Paris")
        page.wait_for_function("""() => {
            const log = document.querySelector(".efus-defus-assistent").shadowRoot.querySelector(".log");
            return log.scrollTop + log.clientHeight >= log.scrollHeight - 1;
        }""")
        page.screenshot(path=SCREENSHOTS / f"widget-{width}x{height}.png")
        # Both answers, with their sources and rating buttons, inside the log at the same time.
        log = parts["log"].bounding_box()
        share = panel_share(page)
        for answer in parts["bot"].all()[-2:]:
            box = answer.bounding_box()
            assert box["y"] >= log["y"] - 0.5 and box["y"] + box["height"] <= log["y"] + log["height"] + 0.5, (
                answer.inner_text()[:60], box, log, share)
        # The conversation has most of the panel; the privacy line is one short line.
        assert share["log"] / share["panel"] >= 0.65, share
        assert share["privacy"] <= 40, share
        expect(parts["dialog"].get_by_text(SHORT_PRIVACY_LINE, exact=True)).to_be_visible()
    finally:
        context.close()


# -- the agent -------------------------------------------------------------------------------------


def test_handoff_code_opens_the_conversation_in_the_console(page: Page, context: BrowserContext, stack: Stack):
    parts = open_by_mouse(page, stack)
    question = "Welche Themen hat DEFUS?"
    answer = ask(parts, question, "Sicherheit im öffentlichen Raum")
    answer.get_by_role("button", name="Nein, nicht hilfreich").click()
    handoff = ask(parts, "Kann ich mit einem Menschen sprechen?", "Gesprächscode")
    code = CODE.search(handoff.inner_text()).group(1)
    page.screenshot(path=SCREENSHOTS / "widget-handoff.png")

    console = context.new_page()
    console.goto(f"{stack.settings.web_url}/agent")
    console.get_by_label("Zugangsschlüssel").fill("falsch")
    console.get_by_role("button", name="Anmelden").click()
    expect(console.locator("#token-error")).to_have_text("Der Zugangsschlüssel ist nicht gültig. Bitte prüfen Sie ihn.")
    expect(console.get_by_role("searchbox", name="Suchbegriff")).to_be_hidden()
    login(console, stack)

    console.get_by_label("Gesprächscode").fill(code.lower().replace("-", " "))
    console.get_by_role("button", name="Gespräch öffnen").click()
    transcript = console.locator(".transcript")
    expect(console.get_by_role("heading", name=f"Gespräch {code}")).to_be_focused()
    expect(transcript).to_contain_text(question)
    expect(transcript).to_contain_text("Bewertung: nicht hilfreich")
    expect(transcript).to_contain_text("Chat geöffnet")
    console.screenshot(path=SCREENSHOTS / "console-conversation.png", full_page=True)


def test_console_search_copy_and_bot_preview(page: Page, stack: Stack, watched):
    login(page, stack)
    page.get_by_role("searchbox", name="Suchbegriff").press_sequentially("efus sitz", delay=40)
    first = page.locator("#results > li").first
    expect(first).to_contain_text("Paris")
    expect(first.get_by_role("heading")).to_have_text("Efus: Sitz")
    expect(first.locator("dl.value")).to_have_text("OrtParis")
    expect(first).to_contain_text("Stadt Bochum, Seite „Internationale Netzwerke“, geprüft am 28.11.2026")
    expect(page.locator("#search-count")).to_have_text(re.compile(r"^\d+ Treffer\.$|^1 Treffer\.$"))
    first.get_by_role("button", name="Antwort kopieren").click()
    expect(first.get_by_role("button", name="Kopiert")).to_be_visible()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("Die Geschäftsstelle von Efus ist in Paris.") and "Quelle: Stadt Bochum" in copied

    page.get_by_label("Frage wie von Bürgerinnen und Bürgern").fill("Wann wurde DEFUS gegründet?")
    page.get_by_role("button", name="Antwort prüfen").click()
    preview = page.locator("#preview")
    expect(preview).to_contain_text("ask_founding", timeout=REPLY_TIMEOUT)
    expect(preview).to_contain_text("network = defus")
    expect(preview).to_contain_text("10. Mai 2010")
    page.screenshot(path=SCREENSHOTS / "console-search-preview.png", full_page=True)

    violations = run_axe(page, "agent-console", watched)
    assert violations == [], json.dumps(violations, indent=2, ensure_ascii=False)
