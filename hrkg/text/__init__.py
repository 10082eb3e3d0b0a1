"""Document text and what it names: reading pages, Markdown and PDFs into text
(:mod:`~hrkg.text.doctext`), the entities a text names (:mod:`~hrkg.text.docentities`,
:mod:`~hrkg.text.mentions`), matching recommendations (:mod:`~hrkg.text.reconcile`) and
downloading documents (:mod:`~hrkg.text.fetch`). Imports the foundation and
:mod:`hrkg.reference`."""
