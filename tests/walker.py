"""Walk the portal as a person does: start from a page, follow the links and submit the GET
forms it renders, and remember what every page answered.

The walk is bounded: URLs alike up to their ids and query values (see `sample_key`) are
visited a few times only, so a list of 400 courtyards costs a few visits, not 400.
"""

import io
from collections import Counter, deque
from dataclasses import dataclass, field
from datetime import date, datetime
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import openpyxl
from django.urls import Resolver404, resolve

# Leaving these would end the walk (logout) or they are not pages (static files).
NOT_FOLLOWED = ("/accounts/logout/", "/static/", "/media/")
EXPORT_LINK_TEXT = "导出Excel"
NEXT_PAGE_TEXT = "下一页"


@dataclass
class Link:
    href: str  # as the page wrote it
    url: str  # as a browser resolves it
    text: str


@dataclass
class Field:
    name: str
    value: str
    kind: str  # an input's type, or "select" / "textarea"
    options: list = field(default_factory=list)


@dataclass
class Form:
    action: str
    fields: list


@dataclass
class Page:
    url: str
    status: int
    content_type: str
    content: bytes = b""
    title: str = ""
    links: list = field(default_factory=list)
    forms: list = field(default_factory=list)
    tables: list = field(default_factory=list)  # the body rows of each table, as cell texts

    @property
    def is_html(self):
        return "text/html" in self.content_type

    @property
    def is_workbook(self):
        return "spreadsheetml" in self.content_type

    def link(self, text):
        return next((link for link in self.links if link.text == text), None)


class _PageParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.title = ""
        self.links = []
        self.forms = []
        self.tables = []
        self._in_title = False
        self._link = None
        self._form = None
        self._select = None
        self._textarea = None
        self._section = None
        self._row = None
        self._cell = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "title":
            self._in_title = True
        elif tag == "a" and attrs.get("href") is not None:
            self._link = [attrs["href"], []]
        elif tag == "form":
            method = (attrs.get("method") or "get").lower()
            self._form = {"action": attrs.get("action") or "", "fields": [], "get": method == "get"}
        elif self._form is not None and tag in ("input", "button") and attrs.get("name"):
            kind = (attrs.get("type") or ("submit" if tag == "button" else "text")).lower()
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind not in ("submit", "reset", "image", "file", "button"):
                self._form["fields"].append(Field(attrs["name"], attrs.get("value") or "", kind))
        elif self._form is not None and tag == "select" and attrs.get("name"):
            self._select = Field(attrs["name"], None, "select")
        elif self._select is not None and tag == "option":
            value = attrs.get("value") or ""
            self._select.options.append(value)
            if "selected" in attrs:
                self._select.value = value
        elif self._form is not None and tag == "textarea" and attrs.get("name"):
            self._textarea = Field(attrs["name"], "", "textarea")
        elif tag in ("thead", "tbody", "tfoot"):
            self._section = tag
            if tag == "tbody":
                self.tables.append([])
        elif tag == "tr" and self._section == "tbody":
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        elif tag == "a" and self._link is not None:
            self.links.append((self._link[0], " ".join("".join(self._link[1]).split())))
            self._link = None
        elif tag == "form" and self._form is not None:
            if self._form["get"]:
                self.forms.append(self._form)
            self._form = None
        elif tag == "select" and self._select is not None:
            if self._select.value is None:
                self._select.value = self._select.options[0] if self._select.options else ""
            self._form["fields"].append(self._select)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self._form["fields"].append(self._textarea)
            self._textarea = None
        elif tag in ("thead", "tbody", "tfoot"):
            self._section = None
        elif tag in ("td", "th") and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[-1].append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        if self._link is not None:
            self._link[1].append(data)
        if self._textarea is not None:
            self._textarea.value += data
        if self._cell is not None:
            self._cell.append(data)


def parse(url, response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    page = Page(url, response.status_code, response.get("Content-Type", ""), content)
    if not page.is_html:
        return page
    parser = _PageParser()
    parser.feed(content.decode())
    page.title = " ".join(parser.title.split())
    page.tables = parser.tables
    page.links = [Link(href, urljoin(url, href), text) for href, text in parser.links]
    page.forms = [
        Form(urljoin(url, form["action"]) if form["action"] else url, form["fields"])
        for form in parser.forms
    ]
    return page


def submissions(form, page):
    """The URLs a person would try with a GET form: as it stands, with its search box
    filled with the first name the page lists, and with each choice list set to its
    first real choice (a street, a kind, a year)."""
    base = [(f.name, f.value) for f in form.fields]
    tried = [base]
    texts = [i for i, f in enumerate(form.fields) if f.kind in ("text", "search")]
    first_name = listed_name(page.tables[0][0]) if page.tables and page.tables[0] else None
    if texts and first_name:
        filled = list(base)
        filled[texts[0]] = (form.fields[texts[0]].name, first_name)
        tried.append(filled)
    for i, f in enumerate(form.fields):
        choices = [option for option in f.options if option and option != f.value]
        if f.kind == "select" and choices:
            chosen = list(base)
            chosen[i] = (f.name, choices[0])
            tried.append(chosen)
    parts = urlsplit(form.action)
    return [urlunsplit(("", "", parts.path, urlencode(query), "")) for query in tried]


def listed_name(row):
    """What names a listed row: the first word of the cell after 序号."""
    cells = [cell for cell in row[1:] if cell]
    return cells[0].split()[0] if cells else None


def is_listed_row(row):
    """A row that lists a record: numbered in its 序号 column (not a 合计 row, an
    empty-state message or a figure of a summary table)."""
    return bool(row) and row[0].isdigit()


def local_path(url):
    """The path and query of a URL within the portal, or None for anything outside it."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https", "") or parts.netloc not in ("", "testserver"):
        return None
    if parts.path.startswith(NOT_FOLLOWED):
        return None
    return urlunsplit(("", "", parts.path, parts.query, ""))


def route_of(url):
    path = urlsplit(url).path
    try:
        return resolve(path).route
    except Resolver404:
        return path


def sample_key(url):
    """URLs with the same key are alike for the walk. A page of the portal differs from
    another by its route and the set of query keys it was given; the admin, Django's own
    screens, by its route and whether it was given a query at all."""
    route = route_of(url)
    keys = tuple(sorted({key for key, _ in parse_qsl(urlsplit(url).query)}))
    if route.startswith("admin/"):
        return route, bool(keys)
    return route, keys


class Walker:
    """Breadth-first over the links and GET forms a client is shown, from `start`: each
    sample key at most `per_key` times (once in the admin), each route at most
    `per_route` times (the combinations of a page's filters, switches and sorting)."""

    def __init__(self, client, per_key=2, per_route=8, limit=2000):
        self.client = client
        self.per_key = per_key
        self.per_route = per_route
        self.limit = limit
        self.pages = {}  # url -> Page
        self.referrers = {}  # url -> the page that showed it
        self._visits = Counter()

    def get(self, url):
        response = self.client.get(url, follow=True)
        # links on a page a redirect led to are relative to where the browser landed
        landed = response.redirect_chain[-1][0] if response.redirect_chain else url
        return parse(urljoin(url, landed), response)

    def _worth_a_visit(self, url):
        key = sample_key(url)
        per_key = 1 if key[0].startswith("admin/") else self.per_key
        if self._visits[key] >= per_key or self._visits[key[0]] >= self.per_route:
            return False
        self._visits[key] += 1
        self._visits[key[0]] += 1
        return True

    def walk(self, start="/"):
        queue = deque([(start, None)])
        while queue and len(self.pages) < self.limit:
            url, referrer = queue.popleft()
            if url in self.pages or not self._worth_a_visit(url):
                continue
            page = self.pages[url] = self.get(url)
            self.referrers[url] = referrer
            targets = [link.url for link in page.links]
            for form in page.forms:
                targets += submissions(form, page)
            for target in targets:
                path = local_path(target)
                if path and path not in self.pages:
                    queue.append((path, url))
        return self.pages

    def listing(self, url):
        """Every row a listing shows for `url`, page after page through 下一页, one list of
        rows per table. A 下一页 that does not move on is an error, not an endless walk."""
        tables, seen = None, set()
        while url:
            assert url not in seen, f"下一页 leads back to {url}"
            seen.add(url)
            page = self.get(url)
            assert page.status == 200, f"{url} answered {page.status}"
            rows = [[row for row in table if is_listed_row(row)] for table in page.tables]
            if tables is None:
                tables = rows
            else:
                tables[0] += rows[0]  # only the first table is paged
            next_link = page.link(NEXT_PAGE_TEXT)
            url = local_path(next_link.url) if next_link else None
        return tables


def workbook_tables(content):
    """The data rows of each sheet of a workbook the portal wrote: below the header row
    (the first row that fills more than one cell), above the 合计 row; cells as text."""
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    tables = []
    for sheet in book.worksheets:
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        header = next(i for i, row in enumerate(rows) if sum(v is not None for v in row) > 1)
        body = [[_text(v) for v in row] for row in rows[header + 1 :]]
        tables.append([row for row in body if is_listed_row(row)])
    return tables


def _text(value):
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value)
