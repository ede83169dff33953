package org.zoobench.experiments.data;

import org.datavec.image.loader.NativeImageLoader;
import org.zoobench.UserInputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/** The image files of a class-per-folder tree, listed the same way for images read whole or streamed from disk. */
final class ImageFiles {

    private static final Set<String> EXTENSIONS = Set.copyOf(Arrays.asList(NativeImageLoader.ALLOWED_FORMATS));

    private ImageFiles() {
    }

    /** Image files at depth two below {@code dir} ({@code dir/<class>/<image>}), sorted for a stable order. */
    static List<Path> in(Path dir) {
        try (Stream<Path> walk = Files.walk(dir, 2)) {
            return walk.filter(p -> p.getNameCount() == dir.getNameCount() + 2 && Files.isRegularFile(p))
                    .filter(ImageFiles::isImage)
                    .sorted(Comparator.comparing(Path::toString))
                    .toList();
        } catch (IOException e) {
            throw new UserInputException("cannot list image folder " + dir + ": " + e.getMessage());
        }
    }

    /** The readable extensions, lower case and sorted, for messages. */
    static String extensions() {
        return String.join(", ", EXTENSIONS.stream().map(e -> e.toLowerCase(Locale.ROOT)).distinct().sorted()
                .toList());
    }

    /** The class of an image: the name of the folder it is in. */
    static String classOf(Path image) {
        return image.getParent().getFileName().toString();
    }

    private static boolean isImage(Path p) {
        String file = p.getFileName().toString();
        int dot = file.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(file.substring(dot + 1).toLowerCase(Locale.ROOT));
    }
}
