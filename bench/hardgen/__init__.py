"""An independent, adversarial generator of multi-agency extracts, its truth, and a scorer.

Written without reading Safehub's own generator, linkage or network code, so that it does not
share their blind spots. See ``bench/hardgen/README.md``.
"""
