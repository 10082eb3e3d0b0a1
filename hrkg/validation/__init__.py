"""SHACL validation: the fast engine (:mod:`~hrkg.validation.engine`, SPARQL on Oxigraph),
validating files or a store (:mod:`~hrkg.validation.validate`), the report formats
(:mod:`~hrkg.validation.formats`, schema ``validation-report.schema.json``) and RDF input
(:mod:`~hrkg.validation.rdfinput`). Knows no loader and no store layout."""
