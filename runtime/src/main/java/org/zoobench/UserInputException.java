package org.zoobench;

/**
 * A mistake in what the user asked for (unknown model, impossible input shape, missing data set...).
 * The CLI prints only the message, one line, and exits non-zero; so the message must name the problem
 * and, where there is one, the fix.
 */
public class UserInputException extends RuntimeException {

    /** The exit status of every entry point (the CLI, the benchmark JVM) after a user mistake. */
    public static final int EXIT_CODE = 2;

    public UserInputException(String message) {
        super(message);
    }

    public UserInputException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * The first line of the innermost cause's message (its class name when it has none): what a one-line message
     * quotes of a library's failure, e.g. "Address already in use" under Vert.x's and DL4J's wrappers.
     */
    public static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
