package org.zoobench.experiments.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A Markdown (GitHub) table, padded so it also reads as plain text on a terminal. */
public final class MarkdownTable {

    private final List<String> header;
    private final boolean[] rightAligned;
    private final List<List<String>> rows = new ArrayList<>();

    /** Columns whose name starts with '>' are right-aligned (numbers); the '>' is not printed. */
    public MarkdownTable(String... columns) {
        header = new ArrayList<>();
        rightAligned = new boolean[columns.length];
        for (int i = 0; i < columns.length; i++) {
            rightAligned[i] = columns[i].startsWith(">");
            header.add(rightAligned[i] ? columns[i].substring(1) : columns[i]);
        }
    }

    public MarkdownTable row(Object... cells) {
        if (cells.length != header.size()) {
            throw new IllegalArgumentException("row has " + cells.length + " cells, table has " + header.size());
        }
        rows.add(Arrays.stream(cells).map(c -> c == null ? "" : String.valueOf(c)).toList());
        return this;
    }

    public int size() {
        return rows.size();
    }

    @Override
    public String toString() {
        int[] width = new int[header.size()];
        for (int i = 0; i < width.length; i++) {
            width[i] = Math.max(3, header.get(i).length());
            for (List<String> row : rows) {
                width[i] = Math.max(width[i], row.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, header, width);
        out.append('|');
        for (int i = 0; i < width.length; i++) {
            out.append(' ').append("-".repeat(width[i] - 1)).append(rightAligned[i] ? ':' : '-').append(" |");
        }
        out.append('\n');
        rows.forEach(r -> line(out, r, width));
        return out.toString();
    }

    private void line(StringBuilder out, List<String> cells, int[] width) {
        out.append('|');
        for (int i = 0; i < width.length; i++) {
            String cell = cells.get(i).replace("|", "\\|");
            String pad = " ".repeat(Math.max(0, width[i] - cell.length()));
            out.append(' ').append(rightAligned[i] ? pad + cell : cell + pad).append(" |");
        }
        out.append('\n');
    }
}
