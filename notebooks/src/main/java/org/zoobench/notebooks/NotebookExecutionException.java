package org.zoobench.notebooks;

/** A notebook cell failed: the message names the notebook, the cell (1-based, counting every cell) and the error. */
public final class NotebookExecutionException extends RuntimeException {

    private final String notebook;
    private final int cell;

    public NotebookExecutionException(String notebook, int cell, String error, Throwable cause) {
        super(notebook + ", cell " + cell + ": " + error, cause);
        this.notebook = notebook;
        this.cell = cell;
    }

    public String notebook() {
        return notebook;
    }

    public int cell() {
        return cell;
    }
}
