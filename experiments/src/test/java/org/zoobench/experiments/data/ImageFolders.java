package org.zoobench.experiments.data;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Small ImageNet-style folders written by tests: ROOT/train/<class>/*.png|jpg and ROOT/val/<class>/... */
public final class ImageFolders {

    private ImageFolders() {
    }

    /**
     * Writes {@code classes} classes of {@code trainPerClass} training and {@code valPerClass} validation images
     * of varying size around {@code side} pixels; class k is a noisy tint of its own colour with a bright bar
     * whose place depends on k, so that a net can learn something. Alternates PNG and JPEG.
     */
    public static Path write(Path root, int classes, int trainPerClass, int valPerClass, int side) throws IOException {
        Random random = new Random(5);
        for (String part : new String[]{"train", "val"}) {
            int per = part.equals("train") ? trainPerClass : valPerClass;
            for (int k = 0; k < classes; k++) {
                Path dir = Files.createDirectories(root.resolve(part).resolve("class" + k));
                for (int i = 0; i < per; i++) {
                    int w = side + random.nextInt(side / 2 + 1);
                    int h = side + random.nextInt(side / 2 + 1);
                    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
                    Graphics2D g = image.createGraphics();
                    Color tint = Color.getHSBColor((float) k / classes, 0.8f, 0.4f + 0.4f * random.nextFloat());
                    g.setColor(tint);
                    g.fillRect(0, 0, w, h);
                    g.setColor(Color.WHITE);
                    g.fillRect(w * k / classes, 0, Math.max(1, w / classes), h);
                    g.dispose();
                    String format = i % 2 == 0 ? "png" : "jpg";
                    ImageIO.write(image, format, dir.resolve("img" + i + "." + format).toFile());
                }
            }
        }
        return root;
    }

    /** A single image: the left half black, the right half white. */
    public static Path halves(Path file, int w, int h) throws IOException {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.BLACK);
        g.fillRect(0, 0, w / 2, h);
        g.setColor(Color.WHITE);
        g.fillRect(w / 2, 0, w - w / 2, h);
        g.dispose();
        Files.createDirectories(file.getParent());
        ImageIO.write(image, "png", file.toFile());
        return file;
    }
}
