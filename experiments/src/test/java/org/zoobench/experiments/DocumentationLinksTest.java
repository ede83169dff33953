package org.zoobench.experiments;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every relative link of the README, the guides in docs/ and the committed results' READMEs names a file that
 * exists, and every #anchor a heading of its target, as GitHub renders it: the guides move and are renamed, and
 * a link left behind is found here rather than by a reader.
 */
class DocumentationLinksTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    /** [text](target): a target without spaces, as every link in these files is written. */
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("^#+ (.*)$");

    @Test
    void everyRelativeLinkAndAnchorResolves() throws IOException {
        List<Path> documents = documents();
        assertTrue(documents.size() > 10, "README and the guides found under " + ROOT);
        List<String> broken = new ArrayList<>();
        for (Path document : documents) {
            Matcher links = LINK.matcher(withoutCodeBlocks(Files.readString(document)));
            while (links.find()) {
                String target = links.group(1);
                if (target.matches("^[a-z]+:.*")) {
                    continue;
                }
                int hash = target.indexOf('#');
                String file = hash < 0 ? target : target.substring(0, hash);
                Path resolved = file.isEmpty() ? document : document.getParent().resolve(file).normalize();
                String where = ROOT.relativize(document) + ": " + target;
                if (!Files.exists(resolved)) {
                    broken.add(where + " (no such file)");
                } else if (hash >= 0 && resolved.toString().endsWith(".md")
                        && !anchors(resolved).contains(target.substring(hash + 1))) {
                    broken.add(where + " (no such heading)");
                }
            }
        }
        assertEquals(List.of(), broken);
    }

    @Test
    void anchorsAreTheSlugsGitHubGivesHeadings() {
        assertEquals("table-3-at-its-real-scale---scale-imagenet",
                slug("Table 3 at its real scale: `--scale imagenet`"));
        assertEquals("torchvisions-imagenet-weights", slug("torchvision's ImageNet weights"));
        assertEquals("against-pytorch---peer-pytorch", slug("Against PyTorch (`--peer pytorch`)"));
    }

    private static List<Path> documents() throws IOException {
        List<Path> documents = new ArrayList<>(List.of(ROOT.resolve("README.md"),
                ROOT.resolve("experiments/results/README.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"));
             Stream<Path> bench = Files.walk(ROOT.resolve("benchmarks/results"), 2)) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(documents::add);
            bench.filter(p -> p.getFileName().toString().equals("README.md")).sorted().forEach(documents::add);
        }
        return documents;
    }

    private static String withoutCodeBlocks(String markdown) {
        StringBuilder out = new StringBuilder();
        boolean code = false;
        for (String line : markdown.split("\n", -1)) {
            if (line.startsWith("```")) {
                code = !code;
            } else if (!code) {
                out.append(line).append('\n');
            }
        }
        return out.toString();
    }

    private static Set<String> anchors(Path markdown) throws IOException {
        Set<String> anchors = new HashSet<>();
        for (String line : withoutCodeBlocks(Files.readString(markdown)).split("\n")) {
            Matcher heading = HEADING.matcher(line);
            if (heading.matches()) {
                anchors.add(slug(heading.group(1)));
            }
        }
        return anchors;
    }

    /** GitHub's heading anchor: lower case, punctuation other than '-' dropped, each space a '-'. */
    private static String slug(String heading) {
        return heading.strip().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}_\\- ]", "").replace(' ', '-');
    }
}
