package org.zoobench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zoobench.experiments.report.HeadlessChromium;
import org.zoobench.experiments.report.HtmlReport;
import org.zoobench.experiments.report.Plots;
import org.zoobench.experiments.results.ResultsStore;
import org.zoobench.experiments.results.RunRecord;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.zoobench.cli.CliRun.train;

/** report.html as train and report write it, checked in its source and as headless Chromium renders it. */
class HtmlReportTest {

    @TempDir
    static Path tmp;
    static Path results;

    /** Two finished seeds of one recipe and a diverged run of another: two table rows, three runs. */
    @BeforeAll
    static void trainRuns() {
        System.setProperty("zoobench.progress", "false");
        results = tmp.resolve("results");
        CliRun finished = train(results, "--seeds", "2");
        assertEquals(0, finished.exitCode(), finished.err());
        assertTrue(finished.out().contains("Results in " + results + " (all runs there; report.html shows them)"),
                finished.out());
        CliRun diverged = train(results, "--seed", "3", "--lr", "1e6", "--updater", "sgd");
        assertEquals(2, diverged.exitCode(), "the lone diverged run ends in one line and exit 2: " + diverged.err());
    }

    @Test
    void pageIsSelfContainedWithEveryPlotInlineAndEveryRunLinked() throws Exception {
        String html = Files.readString(results.resolve(HtmlReport.FILE));
        assertFalse(Pattern.compile("(src|href)=\"(https?:)?//").matcher(html).find(), "nothing fetched from a server");
        assertFalse(html.contains("<link"), "no external style sheets or fonts");
        assertEquals(plots().size(), count(html, "src=\"data:image/png;base64,"), "every plot inline");
        assertEquals(4, plots().size());
        List<RunRecord> records = ResultsStore.openForReading(results).records();
        assertEquals(3, records.size());
        for (RunRecord r : records) {
            assertTrue(html.contains("href=\"runs/" + r.runId() + "/record.json\""), r.runId());
        }
        // the diverged run is marked in the runs table, and its recipe's row in the results table
        assertEquals(2, count(html, "<tr class=\"diverged\">"), html);
        assertTrue(html.contains("git commit " + records.get(0).gitCommit()), "the commit that trained them");
    }

    @Test
    void reportCommandRewritesThePage() throws Exception {
        Path page = results.resolve(HtmlReport.FILE);
        Files.delete(page);
        CliRun report = CliRun.of("report", results.toString());
        assertEquals(0, report.exitCode(), report.err());
        assertTrue(Files.readString(page).contains("<table class=\"sortable\">"));
    }

    @Test
    void benchFolderGetsAPageOfItsTablesAndCharts(@TempDir Path bench) throws Exception {
        Files.writeString(bench.resolve("compare.md"), "| model | batch | speed-up |\n|---|--:|--:|\n"
                + "| lenet5 | 8 | 1.50 |\n| alexnet | 8 | 2.25 |\n");
        Plots.speedUps(List.of("lenet5 b8", "alexnet b8"), Map.of("inference", List.of(1.5, 2.25)), "speed-up",
                bench.resolve("speedup.png"));
        StringWriter err = new StringWriter();
        BenchComparison.htmlReport(bench, new PrintWriter(err, true));
        String html = Files.readString(bench.resolve(HtmlReport.FILE));
        assertTrue(err.toString().contains("report " + bench.resolve(HtmlReport.FILE)), err.toString());
        assertTrue(html.contains("<td>alexnet</td>"), html);
        assertEquals(1, count(html, "src=\"data:image/png;base64,"));
    }

    /**
     * Chromium loads a copy of the page with two scripts added: one first that records console errors and uncaught
     * exceptions, one on load that writes what the browser built (table rows, decoded image sizes, the runs table
     * after sorting by seed twice) into the DOM, which --dump-dom then prints.
     */
    @Test
    void chromiumRendersEveryRowAndPlotWithoutConsoleErrors() throws Exception {
        HeadlessChromium chromium = HeadlessChromium.find().orElse(null);
        assumeTrue(chromium != null, HeadlessChromium.MISSING);
        String html = Files.readString(results.resolve(HtmlReport.FILE));
        Path probe = results.resolve("probe.html");
        Files.writeString(probe, html.replace("<head>", "<head><script>" + RECORD_ERRORS + "</script>")
                .replace("</body>", "<script>" + REPORT_DOM + "</script></body>"));
        String dom = chromium.dumpDom(probe);
        Matcher check = Pattern.compile("<pre id=\"browser-check\">(.*?)</pre>", Pattern.DOTALL).matcher(dom);
        assertTrue(check.find(), "the probe script ran: " + dom.substring(0, Math.min(500, dom.length())));
        JsonNode seen = new ObjectMapper().readTree(check.group(1).replace("&lt;", "<").replace("&gt;", ">")
                .replace("&amp;", "&"));

        assertEquals(0, seen.get("errors").size(), seen.get("errors").toString());
        List<RunRecord> records = ResultsStore.openForReading(results).records();
        JsonNode tables = seen.get("tables");
        assertEquals(2, tables.size(), "the results table and the runs table");
        assertEquals(2, tables.get(0).size(), "one row per recipe: " + tables.get(0));
        assertTrue(tables.get(0).get(1).asText().startsWith("lenet5 synthetic e1 b32 sgd"), tables.get(0).toString());
        List<String> runRows = new ArrayList<>();
        tables.get(1).forEach(row -> runRows.add(row.asText()));
        assertEquals(records.stream().map(r -> r.runId() + " (record.json)").toList(), runRows);

        JsonNode images = seen.get("images");
        assertEquals(plots().size(), images.size());
        for (JsonNode image : images) {
            assertTrue(image.get("width").asInt() > 100 && image.get("height").asInt() > 100, image.toString());
        }
        assertEquals("[\"3\",\"2\",\"1\"]", seen.get("seedsDescending").toString(), "a second click sorts down");

        Path screenshot = tmp.resolve("report.png");
        chromium.screenshot(results.resolve(HtmlReport.FILE), screenshot, 1000, 800);
        BufferedImage shot = ImageIO.read(screenshot.toFile());
        assertEquals(1000, shot.getWidth());
        assertTrue(distinctColours(shot) > 10, "the screenshot shows a page, not a blank window");
    }

    private static final String RECORD_ERRORS = """
            window.consoleErrors = [];
            console.error = function () { window.consoleErrors.push(Array.prototype.join.call(arguments, ' ')); };
            window.addEventListener('error', function (e) { window.consoleErrors.push(e.message); });
            window.addEventListener('unhandledrejection', function (e) { window.consoleErrors.push(String(e.reason)); });
            """;

    private static final String REPORT_DOM = """
            window.addEventListener('load', function () {
              function firstCells(table) {
                return Array.prototype.map.call(table.tBodies[0].rows, function (r) { return r.cells[0].textContent; });
              }
              var tables = Array.prototype.map.call(document.querySelectorAll('table'), firstCells);
              var runs = document.querySelector('table.runs');
              var seedHeading = runs.tHead.rows[0].cells[2];
              seedHeading.click();
              seedHeading.click();
              var seen = {
                tables: tables,
                images: Array.prototype.map.call(document.images, function (i) {
                  return {name: i.alt, width: i.naturalWidth, height: i.naturalHeight};
                }),
                seedsDescending: Array.prototype.map.call(runs.tBodies[0].rows, function (r) {
                  return r.cells[2].textContent;
                }),
                errors: window.consoleErrors
              };
              var out = document.createElement('pre');
              out.id = 'browser-check';
              out.textContent = JSON.stringify(seen);
              document.body.appendChild(out);
            });
            """;

    private static List<Path> plots() throws Exception {
        try (Stream<Path> files = Files.list(results.resolve("plots"))) {
            return files.filter(f -> f.toString().endsWith(".png")).toList();
        }
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    private static int distinctColours(BufferedImage image) {
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 7) {
            for (int x = 0; x < image.getWidth(); x += 7) {
                colours.add(image.getRGB(x, y));
            }
        }
        return colours.size();
    }
}
