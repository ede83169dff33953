package org.zoobench.cli;

/** How listing commands print: an aligned table for people, CSV or JSON for programs. */
public enum OutputFormat {
    table, csv, json
}
