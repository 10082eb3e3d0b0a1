"""The ``hrkg`` command: a thin layer over the library.

Exit codes: 0 ok / conforms; 1 violations or a failed check; 2 usage or input error.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import IO

import click

from hrkg import __version__
from hrkg.errors import HrkgError

log = logging.getLogger("hrkg")

EXIT_HELP = "Exit codes: 0 ok or conforms, 1 violations or a failed check, 2 usage or input error."


class _Cli(click.Group):
    """Turns every HrkgError into a message and exit code 2, once, here."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except HrkgError as exc:
            log.debug("the error's traceback:", exc_info=True)
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(2)


store_option = click.option(
    "--store",
    "store",
    envvar="HRKG_STORE",
    type=click.Path(file_okay=False),
    help="Store folder (default: .hrkg/ in the current directory; env HRKG_STORE).",
)
data_option = click.option(
    "--data",
    "data",
    envvar="HRKG_DATA",
    type=click.Path(file_okay=False),
    help="Data directory of the pinned datasets (env HRKG_DATA; default: a per-user cache).",
)


def _root(store: str | None) -> Path:
    from hrkg.graph.store import store_root

    return store_root(store)


@click.group(cls=_Cli, epilog=EXIT_HELP)
@click.version_option(__version__, prog_name="hrkg")
@click.option(
    "-v",
    "--verbose",
    count=True,
    help="Log what each step does on standard error (-vv: as --debug).",
)
@click.option("--debug", is_flag=True, help="Log everything, an error's traceback too.")
def cli(verbose: int, debug: bool) -> None:
    """hrkg — a human-rights knowledge graph: build it, validate it, query it, serve it."""
    if verbose or debug:
        level = logging.DEBUG if debug or verbose > 1 else logging.INFO
        logging.basicConfig(
            level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr
        )
        logging.getLogger().setLevel(level)
        logging.getLogger("hrkg").setLevel(level)


@cli.command("loaders")
def loaders_cmd() -> None:
    """List the registered loaders and the files each accepts."""
    from hrkg.graph.registry import loaders

    for name, loader in loaders().items():
        click.echo(
            f"{name:18} v{loader.version:3} {', '.join(loader.patterns):34} {loader.description}"
        )


@cli.command(epilog=EXIT_HELP)
@data_option
@store_option
@click.option("--no-validate", is_flag=True, help="Skip SHACL validation (not for releases).")
@click.option(
    "--engine",
    type=click.Choice(["fast", "pyshacl"]),
    default="fast",
    show_default=True,
    help="SHACL engine for the validation step.",
)
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.option(
    "--allow-damaged",
    is_flag=True,
    help="Build even when a pinned dataset is truncated or changed (exit 1 otherwise).",
)
@click.option(
    "--documents",
    "documents",
    multiple=True,
    type=click.Path(exists=True, file_okay=False),
    help="Another folder of your documents to build (repeatable); DATA/documents/ "
    "and the folders DATA/hrkg.toml names (documents = [...]) are always built.",
)
def build(
    data: str | None,
    store: str | None,
    no_validate: bool,
    engine: str,
    quiet: bool,
    allow_damaged: bool,
    documents: tuple[str, ...],
) -> None:
    """Build the graph from every dataset and document into a new store, validate it, and
    switch to it; a failed build leaves the previous store as it was."""
    from hrkg.api import build as run_build
    from hrkg.cli.report import build_summary
    from hrkg.datasets import data_dir
    from hrkg.graph.build import discover

    root, data_path = _root(store), data_dir(data)
    folders = [Path(d) for d in documents]
    steps = len(discover(data_path, folders)[0]) + 4 + (0 if no_validate else 1)
    with click.progressbar(
        length=steps, label="building", file=sys.stderr, hidden=quiet, show_pos=True
    ) as bar:

        def progress(step: str) -> None:
            bar.label = f"building: {step[:40]:40}"
            bar.update(1)

        result = run_build(
            data_path,
            root,
            validate=not no_validate,
            progress=progress,
            engine=engine,
            allow_damaged=allow_damaged,
            documents=folders,
        )
    click.echo(build_summary(result, data_path))
    sys.exit(0 if result.ok else 1)


@cli.command(epilog=EXIT_HELP)
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@data_option
@store_option
@click.option("--no-validate", is_flag=True, help="Skip SHACL validation.")
@click.option(
    "--keep-going",
    is_flag=True,
    help="Load what can be read when some rows cannot (and list what was dropped); "
    "without it such a load changes nothing and exits 1.",
)
def load(
    paths: tuple[str, ...], data: str | None, store: str | None, no_validate: bool, keep_going: bool
) -> None:
    """Replace the graphs of PATHS (and nothing else) in the store."""
    from hrkg.cli.report import build_summary
    from hrkg.datasets import data_dir
    from hrkg.graph.build import load_files

    result = load_files(
        [Path(p) for p in paths],
        data_dir(data),
        _root(store),
        validate=not no_validate,
        keep_going=keep_going,
    )
    click.echo(build_summary(result, data_dir(data)))
    sys.exit(0 if result.ok else 1)


VALIDATE_EXIT = (
    "Exit codes: 0 no result at or above --fail-on; 1 some result at or above it; "
    "2 the files, the store or the shapes could not be read (or a shape uses a "
    "feature the fast engine does not support)."
)


@cli.command(epilog=VALIDATE_EXIT)
@click.argument("files", nargs=-1, type=click.Path(allow_dash=True))
@click.option(
    "--shapes",
    "shapes",
    multiple=True,
    type=click.Path(exists=True),
    help="SHACL shapes (a file or a folder of RDF files; repeatable) instead of "
    "hrkg's own; the data is then validated alone, without hrkg's ontology.",
)
@click.option(
    "--per-graph",
    is_flag=True,
    help="Validate each named graph (each file, each graph of TriG/N-Quads) on its "
    "own instead of their union.",
)
@click.option(
    "--data-format",
    type=click.Choice(["turtle", "ntriples", "nquads", "trig", "rdfxml", "jsonld"]),
    help="Format of the data files (default: by suffix; standard input, -, is read "
    "as TriG, which also reads Turtle and N-Triples).",
)
@store_option
@data_option
@click.option(
    "--engine",
    type=click.Choice(["fast", "pyshacl"]),
    default="fast",
    show_default=True,
    help="fast: SPARQL on Oxigraph; pyshacl: the reference implementation.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "turtle", "json", "junit", "github", "sarif"]),
    default="text",
    show_default=True,
    help="Report format.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["violation", "warning", "info"]),
    default="violation",
    show_default=True,
    help="Lowest severity that makes the exit code 1.",
)
@click.option(
    "--changed",
    is_flag=True,
    help="Only what the sources changed since the last build touch (no FILES).",
)
@click.option("-o", "--output", type=click.File("w"), default="-", help="Write the report here.")
@click.option(
    "--max-results",
    default=10_000,
    show_default=True,
    type=click.IntRange(0),
    help="Stop after this many results (0: no limit); the report says so and the "
    "exit code still counts what was found.",
)
def validate(
    files: tuple[str, ...],
    shapes: tuple[str, ...],
    per_graph: bool,
    data_format: str | None,
    store: str | None,
    data: str | None,
    engine: str,
    fmt: str,
    fail_on: str,
    changed: bool,
    output,
    max_results: int,
) -> None:
    """Validate FILES (Turtle, N-Triples, N-Quads, TriG, RDF/XML, JSON-LD; folders; - for
    standard input) or, with none, the built store, against hrkg's SHACL shapes or the
    --shapes given. Each result names the file and line its focus node comes from."""
    from hrkg.api import validate as run_validate
    from hrkg.validation.formats import render

    cap = max_results or None
    if changed and (files or shapes):
        raise click.UsageError(
            "--changed validates the store's sources against hrkg's "
            "shapes; give no FILES and no --shapes"
        )
    if changed:
        from hrkg.datasets import data_dir
        from hrkg.graph.build import validate_changed

        report = validate_changed(data_dir(data), _root(store), engine)
    else:  # FILES, or with none the store
        report = run_validate(
            files,
            store=_root(store),
            shapes=shapes,
            engine=engine,
            per_graph=per_graph,
            data_format=data_format,
            max_results=cap,
            stdin=lambda: sys.stdin.buffer.read(),
        )
    output.write(render(report, fmt, fail_on.capitalize()) + "\n")
    sys.exit(report.exit_code(fail_on.capitalize()))


@cli.command(epilog=EXIT_HELP)
@click.argument("sparql", required=False)
@click.option("-f", "--file", "file", type=click.File("r"), help="Read the query from a file.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "tsv", "json"]),
    default="table",
    show_default=True,
)
@store_option
def query(sparql: str | None, file: IO[str] | None, fmt: str, store: str | None) -> None:
    """Run a SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE) given as an argument, a file
    (-f) or on standard input. The default graph holds every fact once; GRAPH ?g reaches
    the graph of each source file."""
    from hrkg.graph.query import run_query
    from hrkg.graph.store import open_read_only

    if sparql:
        text = sparql
    elif file is not None:
        text = file.read()
    else:
        with click.open_file("-") as stdin:  # click.get_text_stream is deprecated in 8.5
            text = stdin.read()
    if not text.strip():
        raise click.UsageError("no query: give it as an argument, with -f FILE or on stdin")
    out = run_query(open_read_only(_root(store)), text, fmt).format(fmt)
    click.echo(out, nl=not out.endswith("\n"))


@cli.command(epilog=EXIT_HELP)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["turtle", "trig", "nt", "nq"]),
    default="turtle",
    show_default=True,
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    default="-",
    help="Write here (default: standard output).",
)
@click.option("--graph", help="Only this named graph (its IRI).")
@click.option("--include-build", is_flag=True, help="Include the build-run graph (load times).")
@store_option
def export(
    fmt: str, output: str, graph: str | None, include_build: bool, store: str | None
) -> None:
    """Dump the store (or one graph) deterministically: the same data, the same bytes."""
    from hrkg.api import open as open_graph

    g = open_graph(_root(store))  # before the output file: no store, no file
    with click.open_file(output, "w", encoding="utf-8") as out:
        n = g.export(out, fmt, graph, include_build)
    if output != "-":
        click.echo(f"{n} statements written to {output}", err=True)


@cli.command()
@store_option
def stats(store: str | None) -> None:
    """Triples per graph and instances per class."""
    from hrkg.graph.stats import stats as run_stats
    from hrkg.graph.store import open_read_only

    for section, rows in run_stats(open_read_only(_root(store))).items():
        click.echo(f"\n{section}:")
        for name, n in rows:
            click.echo(f"  {n:>9}  {name}")


SERVE_EXIT = (
    "Exit codes: 0 stopped cleanly (Ctrl-C or SIGTERM); 2 no store, the port is "
    "taken, or the engine could not be walled in (no seccomp): nothing served."
)


@cli.command(epilog=SERVE_EXIT)
@store_option
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on: loopback unless you mean to share it.",
)
@click.option("--port", default=7878, show_default=True, type=int)
@click.option(
    "--timeout",
    default=30,
    show_default=True,
    type=float,
    help="Query timeout in seconds: the worker is killed and replaced, the client gets 504.",
)
@click.option("--cors", metavar="ORIGIN", help="Allow cross-origin requests from ORIGIN (or *).")
@click.option(
    "--allow-host",
    "allow_hosts",
    multiple=True,
    metavar="NAME",
    help="Another Host name to answer for (default: the listen address and "
    "localhost); other Hosts get 421.",
)
@click.option(
    "--workers",
    default=2,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Query workers (processes evaluating one query each).",
)
@click.option(
    "--memory-mb",
    default=2048,
    show_default=True,
    type=click.IntRange(64),
    help="Memory one query may take (kernel limit per worker); beyond: 422.",
)
@click.option(
    "--max-result-mb",
    default=64,
    show_default=True,
    type=click.IntRange(1),
    help="Largest result sent; larger ones answer 422.",
)
@click.option(
    "--buffer-mb",
    default=1024,
    show_default=True,
    type=click.IntRange(1),
    help="Results held for clients still reading them, in total; beyond: 503.",
)
@click.option(
    "--max-query-kb",
    default=256,
    show_default=True,
    type=click.IntRange(1),
    help="Longest query text; longer: 400.",
)
@click.option(
    "--max-depth",
    default=128,
    show_default=True,
    type=click.IntRange(8),
    help="Deepest nesting of { ( [ in a query; deeper: 400.",
)
@click.option(
    "--max-connections",
    default=1024,
    show_default=True,
    type=click.IntRange(8),
    help="Open connections at most; beyond: 503 and close.",
)
@click.option(
    "--idle-timeout",
    default=15,
    show_default=True,
    type=float,
    help="Seconds a connection may stay idle or take to send a request head.",
)
@click.option(
    "--cache-mb",
    default=64,
    show_default=True,
    type=click.IntRange(0),
    help="Small answers kept for queries asked again (the store is immutable "
    "between builds; 0: none).",
)
def serve(
    store: str | None,
    host: str,
    port: int,
    timeout: float,
    cors: str | None,
    allow_hosts: tuple[str, ...],
    workers: int,
    memory_mb: int,
    max_result_mb: int,
    buffer_mb: int,
    max_query_kb: int,
    max_depth: int,
    max_connections: int,
    idle_timeout: float,
    cache_mb: int,
) -> None:
    """Serve the built store read-only: SPARQL 1.1 at /query, the query UI at /, resource
    pages under /id/, VoID at /.well-known/void. Queries run on an in-memory copy, in
    worker processes that cannot open a socket (seccomp); SERVICE and updates are refused.
    A new build is picked up when it becomes current. Stops cleanly on Ctrl-C or SIGTERM."""
    from hrkg.serve import Options
    from hrkg.serve import serve as run_serve

    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"hrkg: listening on {host}: reachable from other machines", err=True)
    click.echo(
        f"hrkg: SPARQL endpoint http://{host}:{port}/query, UI http://{host}:{port}/ "
        "(Ctrl-C stops)",
        err=True,
    )
    run_serve(
        _root(store),
        Options(
            host=host,
            port=port,
            timeout=timeout,
            cors=cors,
            max_result_mb=max_result_mb,
            workers=workers,
            memory_mb=memory_mb,
            buffer_mb=buffer_mb,
            max_query_kb=max_query_kb,
            max_depth=max_depth,
            max_connections=max_connections,
            idle_timeout=idle_timeout,
            cache_mb=cache_mb,
            allow_hosts=allow_hosts,
        ),
    )


@cli.group()
def data() -> None:
    """The pinned third-party datasets: verify and fetch."""


@data.command("verify")
@data_option
def data_verify(data: str | None) -> None:
    """Check every pinned file: ok, missing, truncated or changed. Exit 1 unless all ok."""
    from hrkg.datasets import data_dir, verify

    statuses = verify(data_dir(data))
    for st in statuses:
        click.echo(str(st))
    bad = [s for s in statuses if s.state != "ok"]
    click.echo(f"{len(statuses) - len(bad)} of {len(statuses)} files ok in {data_dir(data)}")
    sys.exit(1 if bad else 0)


@data.command("fetch")
@data_option
def data_fetch(data: str | None) -> None:
    """Download the missing or damaged pinned files (needs a network)."""
    from hrkg.datasets import data_dir, fetch

    statuses = fetch(data_dir(data), progress=True)
    for st in statuses:
        click.echo(str(st))
    sys.exit(0 if all(s.state == "ok" for s in statuses) else 1)


@cli.group()
def documents() -> None:
    """Your own documents: pages, Markdown and PDFs under DATA/documents/."""


@documents.command("add", epilog=EXIT_HELP)
@click.argument("urls", nargs=-1, required=True)
@data_option
@click.option(
    "--max-mb",
    default=20.0,
    show_default=True,
    type=click.FloatRange(0.001),
    help="Largest download; larger ones are refused.",
)
@click.option(
    "--timeout",
    default=30.0,
    show_default=True,
    type=click.FloatRange(0.1),
    help="Seconds for a whole download, redirects included.",
)
@click.option("--max-redirects", default=5, show_default=True, type=click.IntRange(0, 20))
def documents_add(
    urls: tuple[str, ...], data: str | None, max_mb: float, timeout: float, max_redirects: int
) -> None:
    """Download web pages or PDFs (http or https only) into DATA/documents/, each with a
    sidecar NAME.meta.json (URL, retrieval time, SHA-256, content type); the next `hrkg
    build` reads them. Exit 1 when a URL was refused (each refusal is listed)."""
    from hrkg.datasets import data_dir
    from hrkg.text.fetch import add

    results = add(urls, data_dir(data), int(max_mb * (1 << 20)), timeout, max_redirects)
    for r in results:
        if r.error:
            click.echo(f"refused: {r.error}", err=True)
        else:
            click.echo(f"{'unchanged' if r.unchanged else 'added'}: {r.url} -> {r.path}")
    sys.exit(1 if any(r.error for r in results) else 0)


@cli.group()
def report() -> None:
    """Reports on a corpus of sources, read from the data directory."""


@report.command("upr", epilog=EXIT_HELP)
@data_option
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write here, not stdout.")
@click.option(
    "--unmatched",
    type=click.Path(dir_okay=False),
    help="Write every unmatched recommendation (report side and UPR Info side) as TSV here.",
)
def report_upr(data: str | None, fmt: str, output: str | None, unmatched: str | None) -> None:
    """The UPR Working Group reports: per report the recommendations found, how many matched
    a UPR Info recommendation, the state names that did not resolve, the paragraphs missing
    from the numbering; totals. Exit 2 when the reports are not in the data directory."""
    from hrkg.datasets import data_dir
    from hrkg.errors import DataError
    from hrkg.graph.registry import loader_named

    result = loader_named("upr-report").corpus_report(data_dir(data))
    if result is None:
        raise DataError("the upr-report loader offers no corpus report")
    text = result.as_json() if fmt == "json" else result.as_text()
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)
    if unmatched:
        Path(unmatched).write_text(result.unmatched_tsv(), encoding="utf-8")


def main() -> None:
    cli(prog_name="hrkg")
