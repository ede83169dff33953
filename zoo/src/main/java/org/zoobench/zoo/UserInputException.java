package org.zoobench.zoo;

/**
 * A mistake in what the user asked for (unknown model, impossible input shape, missing data set...).
 * The CLI prints only the message, one line, and exits non-zero; so the message must name the problem
 * and, where there is one, the fix.
 */
public class UserInputException extends RuntimeException {
    public UserInputException(String message) {
        super(message);
    }

    public UserInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
