package io.bitnet4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.train.LossCurvePlot.LossPoint;
import java.awt.Color;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LossCurvePlotTest {
    /** A falling noisy training loss over 600 steps and a validation loss every 100 steps. */
    private static List<LossPoint> falling(long seed, int steps) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<LossPoint> out = new ArrayList<>();
        for (int s = 0; s < steps; s++) {
            out.add(new LossPoint(s, 2 + 4 * Math.exp(-s / 150.0) + 0.3 * (rnd.nextDouble() - 0.5)));
        }
        return out;
    }

    private static List<LossPoint> validationOf(List<LossPoint> train) {
        return train.stream().filter(p -> p.step() % 100 == 0).map(p -> new LossPoint(p.step(), p.loss() + 0.2)).toList();
    }

    /** Mean pixel row of the pixels of {@code color} (within a small tolerance) in columns [from, to) of the plot area. */
    private static double meanRow(BufferedImage img, Color color, Rectangle area, int from, int to) {
        long sum = 0;
        int n = 0;
        for (int x = from; x < to; x++) {
            for (int y = area.y; y <= area.y + area.height; y++) {
                Color c = new Color(img.getRGB(x, y));
                if (Math.abs(c.getRed() - color.getRed()) + Math.abs(c.getGreen() - color.getGreen())
                        + Math.abs(c.getBlue() - color.getBlue()) <= 12) {
                    sum += y;
                    n++;
                }
            }
        }
        assertTrue(n > 0, "no pixel of " + color + " in columns " + from + ".." + to);
        return (double) sum / n;
    }

    @Test
    void curveIsDrawnWhereTheLossIs(@TempDir Path dir) throws IOException {
        List<LossPoint> train = falling(1, 600);
        Path png = dir.resolve("loss.png");
        LossCurvePlot.write(png, "tiny model, TinyShakespeare", train, validationOf(train), 640, 400);
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(640, img.getWidth());
        assertEquals(400, img.getHeight());
        Rectangle area = LossCurvePlot.plotArea(640, 400);
        int third = area.width / 3;
        // Image rows grow downwards: the high loss at the start is drawn nearer the top than the low loss at the end.
        for (Color c : List.of(LossCurvePlot.TRAIN_SMOOTHED, LossCurvePlot.TRAIN_RAW, LossCurvePlot.VALIDATION)) {
            double left = meanRow(img, c, area, area.x + 1, area.x + third);
            double right = meanRow(img, c, area, area.x + 2 * third, area.x + area.width);
            assertTrue(left < right - area.height / 10.0, c + ": rows " + left + " (left) vs " + right + " (right)");
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(png), files.toList(), "no temporary file is left behind");
        }
    }

    @Test
    void nonFiniteLossesAreLeftOutAndAFileIsReplaced(@TempDir Path dir) throws IOException {
        List<LossPoint> train = new ArrayList<>(falling(2, 300));
        train.set(150, new LossPoint(150, Double.NaN));
        train.set(151, new LossPoint(151, Double.POSITIVE_INFINITY));
        Path png = dir.resolve("loss.png");
        Files.writeString(png, "old");
        LossCurvePlot.write(png, "with a diverged step", train, List.of());
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(LossCurvePlot.DEFAULT_WIDTH, img.getWidth());
        Rectangle area = LossCurvePlot.plotArea(img.getWidth(), img.getHeight());
        meanRow(img, LossCurvePlot.TRAIN_SMOOTHED, area, area.x + 1, area.x + area.width);
    }

    @Test
    void singlePointsAndValidationOnlyAreDrawn(@TempDir Path dir) throws IOException {
        Path png = dir.resolve("one.png");
        LossCurvePlot.write(png, "one", List.of(), List.of(new LossPoint(10, 3.0)), 300, 200);
        BufferedImage img = ImageIO.read(png.toFile());
        Rectangle area = LossCurvePlot.plotArea(300, 200);
        meanRow(img, LossCurvePlot.VALIDATION, area, area.x, area.x + area.width / 2 + 6);
    }

    @Test
    void smoothingKeepsAStraightLineAndAveragesNoise() {
        List<LossPoint> line = new ArrayList<>();
        for (int s = 0; s < 1000; s++) {
            line.add(new LossPoint(s, 5 - 0.003 * s));
        }
        List<LossPoint> smooth = LossCurvePlot.smoothed(line);
        for (int i = 0; i < line.size(); i++) {
            assertEquals(line.get(i).loss(), smooth.get(i).loss(), 1e-9, "a centred average of a line is the line, step " + i);
        }
        // Alternating noise +-1 around 3: in the middle the average of 2h+1 points is within 1/(2h+1) of 3.
        List<LossPoint> noisy = new ArrayList<>();
        for (int s = 0; s < 1000; s++) {
            noisy.add(new LossPoint(s, 3 + (s % 2 == 0 ? 1 : -1)));
        }
        assertEquals(3, LossCurvePlot.smoothed(noisy).get(500).loss(), 0.1);
    }

    @Test
    void badInputIsRejected(@TempDir Path dir) {
        Path png = dir.resolve("bad.png");
        List<LossPoint> ok = List.of(new LossPoint(0, 1.0));
        assertThrows(IllegalArgumentException.class, () -> LossCurvePlot.write(png, "t", List.of(), List.of()));
        var nan = assertThrows(IllegalArgumentException.class,
                () -> LossCurvePlot.write(png, "t", List.of(new LossPoint(0, Double.NaN)), List.of()));
        assertTrue(nan.getMessage().contains("no finite"), nan.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LossCurvePlot.write(png, "t", null, ok));
        assertThrows(IllegalArgumentException.class, () -> LossCurvePlot.write(png, "t", ok, java.util.Arrays.asList((LossPoint) null)));
        assertThrows(IllegalArgumentException.class, () -> LossCurvePlot.write(png, null, ok, ok));
        assertThrows(IllegalArgumentException.class, () -> LossCurvePlot.write(png, "t", ok, ok, 100, 400));
        assertThrows(IllegalArgumentException.class, () -> LossCurvePlot.write(png, "t", ok, ok, 400, 100_000));
        assertThrows(IllegalArgumentException.class, () -> new LossPoint(-1, 1.0));
        assertTrue(Files.notExists(png));
    }
}
