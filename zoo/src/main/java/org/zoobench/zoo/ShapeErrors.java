package org.zoobench.zoo;

import java.util.function.Supplier;

/** Turns DL4J's shape-inference failures into one line a user can act on. */
final class ShapeErrors {

    private ShapeErrors() {
    }

    static <T> T explain(String model, InputShape input, Supplier<T> build) {
        try {
            return build.get();
        } catch (UserInputException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new UserInputException("model '" + model + "' cannot take input " + input + ": "
                    + firstLine(rootMessage(e)), e);
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
