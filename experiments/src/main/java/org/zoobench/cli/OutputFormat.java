package org.zoobench.cli;

import java.util.Locale;

/** How listing commands print: an aligned table for people, CSV or JSON for programs. */
public enum OutputFormat {
    TABLE, CSV, JSON;

    /** As the command line spells it. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
