package org.zoobench.experiments.report;

import org.commonmark.ext.gfm.tables.TableBlock;
import org.commonmark.ext.gfm.tables.TableRow;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Node;
import org.commonmark.node.Text;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.zoobench.experiments.results.AtomicFiles;
import org.zoobench.experiments.results.ResultsStore;
import org.zoobench.experiments.results.RunRecord;
import org.zoobench.experiments.results.SuiteInfo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * {@value #FILE}: one self-contained page per results folder that opens offline (no external scripts, fonts or
 * images; the plots inline as data URIs): the recipe and notes, the report's tables (sortable by clicking a column
 * heading) and text as results.md has them, every PNG of the folder, and each run's details.
 */
public final class HtmlReport {

    public static final String FILE = "report.html";

    private static final List<org.commonmark.Extension> TABLES = List.of(TablesExtension.create());
    private static final Parser MARKDOWN = Parser.builder().extensions(TABLES).build();
    /** Line breaks kept: the reports' notes are lines of plain text, not Markdown paragraphs. */
    private static final HtmlRenderer HTML = HtmlRenderer.builder().extensions(TABLES).softbreak("<br>\n")
            .attributeProviderFactory(context -> (node, tag, attributes) -> {
                if (node instanceof TableBlock) {
                    attributes.put("class", "sortable");
                } else if (node instanceof TableRow && mentionsDivergence(node)) {
                    attributes.put("class", "diverged");
                }
            }).build();

    private static final String STYLE = """
            body{font-family:system-ui,sans-serif;margin:1.5em auto;max-width:1400px;padding:0 1em;color:#222}
            table{border-collapse:collapse;margin:.8em 0;font-size:.9em;display:block;overflow-x:auto;max-width:100%}
            th,td{border:1px solid #ccc;padding:.25em .5em}
            th{background:#eee;cursor:pointer;user-select:none;white-space:nowrap}
            th[aria-sort=ascending]::after{content:" \\25B2"} th[aria-sort=descending]::after{content:" \\25BC"}
            tr.diverged td{background:#fde2e2;color:#900}
            figure{display:inline-block;width:calc(50% - 1.2em);margin:.5em;vertical-align:top}
            img{width:100%;border:1px solid #ddd}
            pre{background:#f6f6f6;padding:.5em;overflow:auto;font-size:.85em}
            .meta{color:#555}
            """;

    /** Click a heading to sort by it (again to reverse); numbers (1,234 / 72.9 ± 0.8 / 1.81M) sort as numbers. */
    private static final String SORT_SCRIPT = """
            (function () {
              var scale = {k: 1e3, M: 1e6, G: 1e9};
              function key(text) {
                var m = /^[\\[(]?\\s*([+\\u2212-]?[\\d,]*\\.?\\d+(?:e[+-]?\\d+)?)\\s*([kMG])?/.exec(text.trim());
                if (!m) { return null; }
                return parseFloat(m[1].replace(/,/g, '').replace('\\u2212', '-')) * (m[2] ? scale[m[2]] : 1);
              }
              function sortBy(table, th, column) {
                var ascending = th.getAttribute('aria-sort') !== 'ascending';
                table.querySelectorAll('th').forEach(function (h) { h.removeAttribute('aria-sort'); });
                th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
                var body = table.tBodies[0];
                var rows = Array.prototype.slice.call(body.rows);
                rows.sort(function (a, b) {
                  var x = a.cells[column].textContent, y = b.cells[column].textContent;
                  var kx = key(x), ky = key(y);
                  if (kx === null || ky === null) {
                    if (kx !== ky) { return kx === null ? 1 : -1; }   /* rows without a number go last */
                    return ascending ? x.localeCompare(y) : y.localeCompare(x);
                  }
                  return ascending ? kx - ky : ky - kx;
                });
                rows.forEach(function (r) { body.appendChild(r); });
              }
              document.querySelectorAll('table.sortable').forEach(function (table) {
                if (!table.tBodies.length) { return; }
                table.querySelectorAll('thead th').forEach(function (th, column) {
                  th.title = 'sort by this column';
                  th.addEventListener('click', function () { sortBy(table, th, column); });
                });
              });
            })();
            """;

    private HtmlReport() {
    }

    /**
     * The page of a train or run results folder: its suite's recipe and notes where a suite wrote it, the report
     * text (results.md), the plots, and every run with a link to its folder and record. Returns the file.
     */
    public static Path forResults(ResultsStore store, String reportMarkdown) {
        Path dir = store.dir();
        List<RunRecord> records = store.records();
        List<String> notes = new ArrayList<>();
        String title = store.suiteInfo().map(info -> {
            notes.add("Recipe: " + info.recipe());
            if (info.notes() != null) {
                info.notes().forEach(n -> notes.add("Note: " + n));
            }
            return "ZooBench " + info.suite() + (info.quick() ? " (quick)" : "");
        }).orElse("ZooBench training results");
        StringBuilder body = new StringBuilder();
        body.append(section("Results", HTML.render(MARKDOWN.parse(reportMarkdown))));
        body.append(plots(dir));
        body.append(runs(dir, records));
        return write(dir, title + ": " + dir.getFileName(), machine(records), notes, body.toString());
    }

    /** The page of a benchmark folder: its Markdown tables (results.md, compare.md) and charts. */
    public static Path forBenchmarks(Path dir, String title) {
        StringBuilder body = new StringBuilder();
        for (String name : List.of("compare.md", ResultsReport.MARKDOWN)) {
            Path markdown = dir.resolve(name);
            if (Files.isRegularFile(markdown)) {
                body.append(section(name, HTML.render(MARKDOWN.parse(read(markdown)))));
            }
        }
        body.append(plots(dir));
        return write(dir, title, "", List.of(), body.toString());
    }

    private static Path write(Path dir, String title, String machine, List<String> notes, String body) {
        StringBuilder page = new StringBuilder();
        page.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(escape(title)).append("</title>\n<style>").append(STYLE)
                .append("</style></head>\n<body>\n<h1>").append(escape(title)).append("</h1>\n");
        if (!machine.isEmpty()) {
            page.append("<p class=\"meta\">").append(escape(machine)).append("</p>\n");
        }
        if (!notes.isEmpty()) {
            page.append("<ul class=\"notes\">\n");
            notes.forEach(n -> page.append("<li>").append(escape(n)).append("</li>\n"));
            page.append("</ul>\n");
        }
        page.append(body).append("<script>").append(SORT_SCRIPT).append("</script>\n</body></html>\n");
        Path file = dir.resolve(FILE);
        AtomicFiles.writeString(file, page.toString());
        return file;
    }

    /** Where the runs ran: the machine, backend and layer implementation of the first, and the commits. */
    private static String machine(List<RunRecord> records) {
        if (records.isEmpty()) {
            return "";
        }
        RunRecord first = records.get(0);
        String commits = String.join(", ", records.stream().map(RunRecord::gitCommit).distinct().toList());
        return String.format(Locale.ROOT, "Machine: %s, %d cores, %s, Java %s; backend %s (BLAS %s); layers %s; "
                        + "git commit %s", first.machine().device(), first.machine().cores(), first.machine().os(),
                first.machine().java(), first.machine().backend(), first.machine().blasVendor(),
                first.config().layers().id(), commits);
    }

    /** Every PNG in the folder and its plots/ folder, inline, each captioned with its file name. */
    private static String plots(Path dir) {
        List<Path> images = new ArrayList<>();
        for (Path folder : List.of(dir, dir.resolve(ResultsReport.PLOTS))) {
            if (Files.isDirectory(folder)) {
                try (Stream<Path> files = Files.list(folder)) {
                    files.filter(f -> f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png"))
                            .sorted().forEach(images::add);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        if (images.isEmpty()) {
            return "";
        }
        StringBuilder html = new StringBuilder();
        for (Path image : images) {
            String name = dir.relativize(image).toString();
            byte[] png;
            try {
                png = Files.readAllBytes(image);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            html.append("<figure><img alt=\"").append(escape(name)).append("\" src=\"data:image/png;base64,")
                    .append(Base64.getEncoder().encodeToString(png)).append("\"><figcaption>")
                    .append(escape(name)).append("</figcaption></figure>\n");
        }
        return section("Plots", html.toString());
    }

    /** One row per run, diverged ones marked, linking its folder and record; the record itself folded below. */
    private static String runs(Path dir, List<RunRecord> records) {
        if (records.isEmpty()) {
            return "";
        }
        StringBuilder html = new StringBuilder("<table class=\"sortable runs\"><thead><tr><th>run</th><th>model</th>"
                + "<th>seed</th><th>status</th><th>top-1 %</th><th>epochs</th><th>wall time s</th>"
                + "<th>finished at</th></tr></thead><tbody>\n");
        for (RunRecord r : records) {
            String folder = "runs/" + r.runId() + "/";
            html.append(r.diverged() ? "<tr class=\"diverged\">" : "<tr>")
                    .append("<td><a href=\"").append(escape(folder)).append("\">").append(escape(r.runId()))
                    .append("</a> (<a href=\"").append(escape(folder + ResultsStore.RECORD)).append("\">")
                    .append(ResultsStore.RECORD).append("</a>)</td>")
                    .append(cell(r.model())).append(cell(Long.toString(r.seed())))
                    .append(cell(r.diverged() ? "diverged: " + r.statusDetail() : r.status()))
                    .append(cell(r.top1() == null ? "—" : String.format(Locale.ROOT, "%.2f", r.top1().value())))
                    .append(cell(Integer.toString(r.epochs().size())))
                    .append(cell(String.format(Locale.ROOT, "%.1f", r.wallTimeSec())))
                    .append(cell(r.finishedAt())).append("</tr>\n");
        }
        html.append("</tbody></table>\n");
        for (RunRecord r : records) {
            html.append("<details><summary>").append(escape(r.runId())).append(" record</summary><pre>")
                    .append(escape(ResultsStore.toJson(r))).append("</pre></details>\n");
        }
        return section("Runs", html.toString());
    }

    private static boolean mentionsDivergence(Node row) {
        boolean[] found = {false};
        row.accept(new AbstractVisitor() {
            @Override
            public void visit(Text text) {
                found[0] |= text.getLiteral().contains(RunRecord.DIVERGED);
            }
        });
        return found[0];
    }

    private static String section(String heading, String html) {
        return "<section><h2>" + escape(heading) + "</h2>\n" + html + "</section>\n";
    }

    private static String cell(String text) {
        return "<td>" + escape(text) + "</td>";
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
