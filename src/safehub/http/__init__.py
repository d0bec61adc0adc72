"""The HTTP layer every app shares: the staff pages (``web``), the JSON API (``api``) and the
public reporting app (``public``).

- ``context``: the request's unit of work and who is acting; ``require(permission)`` signs a staff
  user in from the session cookie and checks the one permission every staff route declares.
- ``csrf``: the anti-forgery token, from a form field (pages) or a header (API).
- ``errors``: the error types routes raise and the handlers that turn them, and any crash, into
  a page or a JSON body that names a request id and never shows a stack trace.
- ``security``: the headers on every response and the request id.
- ``templating``: Jinja with the GOV.UK Frontend macros; ``pages``: Post/Redirect/Get helpers.
- ``files``: a download that no browser or proxy keeps.

Apps import this package; it imports no app (``tests/guards/test_layers.py``).
"""
