package org.zoobench.notebooks;

import jdk.jshell.DeclarationSnippet;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.ExpressionSnippet;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.CompletionInfo;
import jdk.jshell.UnresolvedReferenceException;
import jdk.jshell.VarSnippet;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Runs a Jupyter notebook written for the JJava (IJava-compatible) kernel without Jupyter: every code cell in
 * order through one JShell, the way the kernel does, on this JVM's class path. Snippets run in this JVM
 * (JShell's {@code local} execution engine), so native libraries such as ND4J's load once and the notebook
 * shares this process's classes.
 *
 * <p>Like the kernel, it provides {@code display(Object, String...)} and shows a cell's last expression as its
 * result; a {@link java.awt.image.RenderedImage} (e.g. an XChart {@code BufferedImage}) becomes
 * {@code image/png}. Magics: {@code %classpath} and {@code %jars} lines are honoured (paths relative to the
 * notebook's folder, as the kernel's working directory is there); any other magic fails the cell, since a
 * notebook that downloads its dependencies would not run the same headless.
 *
 * <p>Any compile error, unresolved reference or exception fails the run with a {@link NotebookExecutionException}
 * naming the notebook and cell (and the failing cell's printed output goes to the progress stream). Relative paths
 * in notebook code resolve against this JVM's working directory; Jupyter runs a kernel in the notebook's folder,
 * so run the executor from there too (the Maven test does: it runs in {@code notebooks/}). With {@code writeOutputs} the outputs (stdout/stderr streams, displays, results)
 * are written back into the {@code .ipynb} after a successful run.
 */
public final class NotebookExecutor {

    /** System property: write outputs back into the notebooks after a successful run. */
    public static final String WRITE_OUTPUTS = "notebooks.writeOutputs";

    private static final Set<Snippet.SubKind> RESULT_KINDS = Set.of(Snippet.SubKind.VAR_VALUE_SUBKIND,
            Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND, Snippet.SubKind.OTHER_EXPRESSION_SUBKIND);

    /** What the JJava kernel defines in every notebook, so the same code runs in both. */
    private static final String PRELUDE = "String display(Object value, String... mimeTypes) { "
            + "return org.zoobench.notebooks.Display.display(value, mimeTypes); }";

    private final String classpath;
    private final boolean writeOutputs;
    private final PrintStream progress;

    public NotebookExecutor(String classpath, boolean writeOutputs, PrintStream progress) {
        this.classpath = classpath;
        this.writeOutputs = writeOutputs;
        this.progress = progress;
    }

    /** An executor on this JVM's class path, writing outputs if {@value #WRITE_OUTPUTS} is {@code true}. */
    public static NotebookExecutor forThisJvm() {
        return new NotebookExecutor(System.getProperty("java.class.path"), Boolean.getBoolean(WRITE_OUTPUTS),
                System.out);
    }

    /** One executed code cell. */
    public record CellRun(int number, double seconds, List<CellOutput> outputs) {
    }

    /** Executes every code cell of {@code path} in order; on success writes outputs back if asked to. */
    public List<CellRun> execute(Path path) {
        Notebook notebook = Notebook.read(path);
        List<CellRun> runs = new ArrayList<>();
        PrintStream out = System.out;
        PrintStream err = System.err;
        try (JShell shell = JShell.builder().executionEngine("local").build()) {
            shell.addToClasspath(classpath);
            evalChecked(shell, notebook.name(), 0, PRELUDE);
            for (Notebook.Cell cell : notebook.cells()) {
                if (!cell.isCode() || cell.source().isBlank()) {
                    continue;
                }
                long start = System.nanoTime();
                CellRecorder recorder = new CellRecorder();
                System.setOut(new PrintStream(recorder.stream("stdout"), true, StandardCharsets.UTF_8));
                System.setErr(new PrintStream(recorder.stream("stderr"), true, StandardCharsets.UTF_8));
                Display.setRecorder(recorder);
                try {
                    runCell(shell, notebook, cell);
                } catch (NotebookExecutionException e) {
                    progress.print(failedCellOutput(recorder.finish()));
                    throw e;
                } finally {
                    Display.setRecorder(null);
                    System.setOut(out);
                    System.setErr(err);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                runs.add(new CellRun(cell.number(), seconds, recorder.finish()));
                progress.printf(Locale.ROOT, "%s: cell %d ran in %.1f s%n", notebook.name(), cell.number(), seconds);
            }
        }
        if (writeOutputs) {
            int count = 0;
            for (CellRun run : runs) {
                notebook.cells().get(run.number() - 1).setOutputs(++count, run.outputs());
            }
            notebook.write();
        }
        return runs;
    }

    /** The end of what a failing cell printed, for the log: often what explains the failure. */
    private static String failedCellOutput(List<CellOutput> outputs) {
        String text = outputs.stream().filter(o -> o instanceof CellOutput.Stream)
                .map(o -> ((CellOutput.Stream) o).text()).collect(Collectors.joining());
        int keep = 4000;
        return text.isEmpty() ? "" : "--- output of the failing cell" + (text.length() > keep ? " (last "
                + keep + " characters)" : "") + " ---\n" + text.substring(Math.max(0, text.length() - keep))
                + (text.endsWith("\n") ? "" : "\n") + "---\n";
    }

    private void runCell(JShell shell, Notebook notebook, Notebook.Cell cell) {
        String source = cell.source();
        if (source.stripLeading().startsWith("%%")) {
            String magic = source.stripLeading().lines().findFirst().orElse("");
            throw new NotebookExecutionException(notebook.name(), cell.number(), "cell magic '" + magic
                    + "' is not supported headless (ZooBench notebooks get the project's classes from the kernel's"
                    + " class path, see docs/notebooks.md)", null);
        }
        // Magic lines split the cell: code before a magic runs before it, as in the kernel.
        StringBuilder code = new StringBuilder();
        int codeStartLine = 1;
        int lineNumber = 0;
        for (String line : source.split("\n", -1)) {
            lineNumber++;
            if (isLineMagic(line)) {
                runCode(shell, notebook, cell, code.toString(), codeStartLine);
                code.setLength(0);
                codeStartLine = lineNumber + 1;
                runLineMagic(shell, notebook, cell, line.strip());
            } else {
                code.append(line).append('\n');
            }
        }
        Snippet last = runCode(shell, notebook, cell, code.toString(), codeStartLine);
        if (last != null && RESULT_KINDS.contains(last.subKind())) {
            String name = resultName(last);
            if (name != null) {
                evalChecked(shell, notebook.name(), cell.number(), "org.zoobench.notebooks.Display.result(" + name + ");");
            }
        }
        failOnUnresolved(shell, notebook, cell);
    }

    private static boolean isLineMagic(String line) {
        String s = line.stripLeading();
        return s.length() > 1 && s.charAt(0) == '%' && Character.isLetter(s.charAt(1));
    }

    /** Evaluates {@code code} snippet by snippet; returns the last snippet run, null if there was none. */
    private Snippet runCode(JShell shell, Notebook notebook, Notebook.Cell cell, String code, int firstLine) {
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        Snippet last = null;
        String remaining = code;
        while (true) {
            CompletionInfo info = analysis.analyzeCompletion(remaining);
            if (!info.completeness().isComplete()) {
                if (info.completeness() != SourceCodeAnalysis.Completeness.EMPTY) {
                    int line = firstLine + lineOf(code, code.length() - remaining.length(), remaining);
                    throw new NotebookExecutionException(notebook.name(), cell.number(), "line " + line
                            + ": incomplete code: " + firstLineOf(remaining.strip()), null);
                }
                return last;
            }
            int snippetLine = firstLine + lineOf(code, code.length() - remaining.length(), remaining);
            last = eval(shell, notebook, cell, info.source().stripLeading(), snippetLine);
            remaining = info.remaining();
        }
    }

    /** 0-based line, within {@code code}, of the first non-blank character of {@code rest} (at {@code offset}). */
    private static int lineOf(String code, int offset, String rest) {
        int lead = 0;
        while (lead < rest.length() && Character.isWhitespace(rest.charAt(lead))) {
            lead++;
        }
        return (int) code.substring(0, offset + lead).chars().filter(c -> c == '\n').count();
    }

    private Snippet eval(JShell shell, Notebook notebook, Notebook.Cell cell, String source, int line) {
        List<SnippetEvent> events = shell.eval(source);
        for (SnippetEvent event : events) {
            if (event.causeSnippet() != null) {
                continue;
            }
            Snippet snippet = event.snippet();
            if (event.status() == Snippet.Status.REJECTED) {
                throw new NotebookExecutionException(notebook.name(), cell.number(),
                        "line " + line + ": compile error: " + diagnostics(shell, snippet), null);
            }
            if (event.exception() != null) {
                throw new NotebookExecutionException(notebook.name(), cell.number(),
                        "line " + (line + thrownAtLine(event.exception(), snippet)) + ": "
                                + describe(event.exception()), event.exception());
            }
            return snippet;
        }
        throw new NotebookExecutionException(notebook.name(), cell.number(),
                "line " + line + ": JShell did not evaluate: " + firstLineOf(source), null);
    }

    /** Evaluates code the executor itself adds; a failure there is the executor's, reported the same way. */
    private static void evalChecked(JShell shell, String notebook, int cell, String source) {
        for (SnippetEvent event : shell.eval(source)) {
            if (event.causeSnippet() == null && (event.status() == Snippet.Status.REJECTED || event.exception() != null)) {
                String error = event.exception() != null ? describe(event.exception())
                        : diagnostics(shell, event.snippet());
                throw new NotebookExecutionException(notebook, cell, "executor snippet failed: " + error,
                        event.exception());
            }
        }
    }

    /** A declaration still waiting for something undefined would fail only when used; fail now, at its cell. */
    private static void failOnUnresolved(JShell shell, Notebook notebook, Notebook.Cell cell) {
        List<String> unresolved = shell.snippets()
                .filter(s -> s instanceof DeclarationSnippet)
                .filter(s -> shell.status(s) == Snippet.Status.RECOVERABLE_DEFINED
                        || shell.status(s) == Snippet.Status.RECOVERABLE_NOT_DEFINED)
                .map(s -> ((DeclarationSnippet) s).name() + " needs "
                        + String.join(", ", shell.unresolvedDependencies((DeclarationSnippet) s).toList()))
                .toList();
        if (!unresolved.isEmpty()) {
            throw new NotebookExecutionException(notebook.name(), cell.number(),
                    "unresolved references: " + String.join("; ", unresolved), null);
        }
    }

    /**
     * Lines into {@code snippet} where {@code e} was thrown: JShell names a snippet's frames {@code #<id>}, so the
     * innermost one from this snippet locates the statement. 0 when no frame is (e.g. thrown inside a method
     * defined in an earlier cell).
     */
    private static int thrownAtLine(JShellException e, Snippet snippet) {
        String file = "#" + snippet.id();
        for (StackTraceElement frame : e.getStackTrace()) {
            if (file.equals(frame.getFileName()) && frame.getLineNumber() > 0) {
                return frame.getLineNumber() - 1;
            }
        }
        return 0;
    }

    private static String resultName(Snippet snippet) {
        if (snippet instanceof VarSnippet variable) {
            return variable.name();
        }
        if (snippet instanceof ExpressionSnippet expression && !expression.name().isEmpty()) {
            return expression.name();
        }
        return null;
    }

    private static String diagnostics(JShell shell, Snippet snippet) {
        return shell.diagnostics(snippet)
                .filter(Diag::isError)
                .map(d -> d.getMessage(Locale.ROOT) + " [in: " + excerpt(snippet.source(), d) + "]")
                .collect(Collectors.joining("; "));
    }

    private static String excerpt(String source, Diag diag) {
        int position = (int) Math.max(0, Math.min(diag.getPosition(), source.length()));
        int start = source.lastIndexOf('\n', Math.max(0, position - 1)) + 1;
        int end = source.indexOf('\n', position);
        return source.substring(start, end < 0 ? source.length() : end).strip();
    }

    private static String describe(JShellException e) {
        if (e instanceof UnresolvedReferenceException unresolved) {
            return "unresolved reference in " + unresolved.getSnippet().source().strip();
        }
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (!text.isEmpty()) {
                text.append(" <- caused by ");
            }
            String type = t instanceof EvalException eval ? eval.getExceptionClassName() : t.getClass().getName();
            text.append(type).append(t.getMessage() == null ? "" : ": " + t.getMessage());
        }
        return text.toString();
    }

    private static String firstLineOf(String s) {
        int newline = s.indexOf('\n');
        return newline < 0 ? s : s.substring(0, newline);
    }

    private void runLineMagic(JShell shell, Notebook notebook, Notebook.Cell cell, String line) {
        List<String> words = List.of(line.substring(1).split("\\s+"));
        String magic = words.get(0);
        if (!magic.equals("classpath") && !magic.equals("jars")) {
            throw new NotebookExecutionException(notebook.name(), cell.number(), "magic %" + magic
                    + " is not supported headless (only %classpath and %jars are; ZooBench notebooks get their"
                    + " classes from the kernel's class path, see docs/notebooks.md)", null);
        }
        Path base = notebook.path().toAbsolutePath().getParent();
        for (String glob : words.subList(1, words.size())) {
            List<Path> entries = resolveGlob(base, glob, magic.equals("jars"));
            if (entries.isEmpty()) {
                throw new NotebookExecutionException(notebook.name(), cell.number(),
                        "%" + magic + " " + glob + " matches nothing (relative to " + base + ")", null);
            }
            entries.forEach(p -> shell.addToClasspath(p.toString()));
        }
    }

    /**
     * The kernel's simple globs: {@code *} and {@code ?} in the last path element; a directory stands for itself
     * on the class path ({@code %classpath}) or for the files in it ({@code %jars}).
     */
    static List<Path> resolveGlob(Path base, String glob, boolean filesInDirectories) {
        Path path = base.resolve(glob.endsWith("/") ? glob + "*" : glob).normalize();
        String last = path.getFileName().toString();
        if (!last.contains("*") && !last.contains("?")) {
            if (Files.isDirectory(path) && filesInDirectories) {
                return resolveGlob(path, "*", false);
            }
            return Files.exists(path) ? List.of(path) : List.of();
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + last);
        try (Stream<Path> files = Files.list(path.getParent())) {
            return files.filter(p -> matcher.matches(p.getFileName())).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * {@code java -cp <project class path> org.zoobench.notebooks.NotebookExecutor [--write-outputs] NOTEBOOK...}:
     * executes the notebooks (a folder stands for its {@code *.ipynb}); exit 1 naming the failing cell.
     */
    public static void main(String[] args) {
        boolean write = Boolean.getBoolean(WRITE_OUTPUTS);
        List<Path> notebooks = new ArrayList<>();
        for (String arg : args) {
            if (arg.equals("--write-outputs")) {
                write = true;
            } else {
                notebooks.addAll(notebooksIn(Path.of(arg)));
            }
        }
        NotebookExecutor executor = new NotebookExecutor(System.getProperty("java.class.path"), write, System.out);
        try {
            for (Path notebook : notebooks) {
                executor.execute(notebook);
            }
        } catch (NotebookExecutionException e) {
            System.err.println("notebook failed: " + e.getMessage());
            System.exit(1);
        }
        System.exit(0);
    }

    /** {@code path} itself, or the {@code .ipynb} files directly in it, sorted by name. */
    public static List<Path> notebooksIn(Path path) {
        if (!Files.isDirectory(path)) {
            return List.of(path);
        }
        try (Stream<Path> files = Files.list(path)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".ipynb")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
