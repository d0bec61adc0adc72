"""The public reporting app: a separate ASGI app, on its own port, for members of the public.

It serves no staff page and loads nothing from another host. It is built from the shared HTTP
layer (``safehub.http``) and calls services, never the staff app (``safehub.web``).

To add a page: a module in ``public/routes/`` with a ``router`` (it is found by itself), its
template in ``public/templates/`` extending ``base.html``, and the service it calls.
"""
