package org.zoobench.zoo;

import java.util.Locale;

/** Number formats shared by the listing commands and the benchmark reports. */
public final class Numbers {

    private Numbers() {
    }

    /** {@code 61,100,840}. */
    public static String grouped(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** Byte counts in binary units: {@code 512 B}, {@code 3.1 KiB}, {@code 57.5 MiB}. */
    public static String bytes(long n) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double value = n;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? n + " B" : String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    /** Operation counts with an SI prefix: {@code 714.19 M}, {@code 4.09 G}. */
    public static String si(long n) {
        String[] prefixes = {"", " k", " M", " G", " T", " P"};
        double value = n;
        int p = 0;
        while (value >= 1000 && p < prefixes.length - 1) {
            value /= 1000;
            p++;
        }
        return p == 0 ? String.valueOf(n) : String.format(Locale.ROOT, "%.2f%s", value, prefixes[p]);
    }
}
