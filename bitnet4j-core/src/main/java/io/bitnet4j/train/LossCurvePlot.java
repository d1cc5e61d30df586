package io.bitnet4j.train;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Draws a training run's loss curve as a PNG with the JDK alone (java.awt in headless mode, ImageIO).
 *
 * <p>The picture: the training loss of every step as a thin light line, its centred moving average
 * (over about a twentieth of the points) as a thick line, the validation losses as dots
 * joined by a line, linear axes with round-numbered ticks, a legend and the title. Points are sorted by
 * step. Non-finite losses (a step that diverged) are left out, so one NaN does not wreck the scale, and
 * how many were left out is printed in the picture. The file is written to a temporary sibling and
 * renamed over {@code png}, so a reader never sees half a picture.
 */
public final class LossCurvePlot {
    /** One measured loss. */
    public record LossPoint(long step, double loss) {
        public LossPoint {
            if (step < 0) {
                throw new IllegalArgumentException("a loss point's step must be >= 0, not " + step);
            }
        }
    }

    public static final int DEFAULT_WIDTH = 960;
    public static final int DEFAULT_HEIGHT = 540;
    static final int MIN_SIZE = 200;
    static final int MAX_SIZE = 8192;
    public static final Color TRAIN_RAW = new Color(0xA8, 0xC8, 0xF0);
    public static final Color TRAIN_SMOOTHED = new Color(0x1F, 0x4E, 0xA8);
    public static final Color VALIDATION = new Color(0xE0, 0x60, 0x10);
    private static final Color AXIS = new Color(0x30, 0x30, 0x30);
    private static final Color GRID = new Color(0xE6, 0xE6, 0xE6);
    private static final int LEFT = 72;
    private static final int RIGHT = 24;
    private static final int TOP = 64;
    private static final int BOTTOM = 52;

    private LossCurvePlot() {}

    /** {@link #write(Path, String, List, List, int, int)} at {@value #DEFAULT_WIDTH} x {@value #DEFAULT_HEIGHT}. */
    public static void write(Path png, String title, List<LossPoint> train, List<LossPoint> validation) throws IOException {
        write(png, title, train, validation, DEFAULT_WIDTH, DEFAULT_HEIGHT);
    }

    /**
     * Writes the loss curve to {@code png}, replacing it if it exists.
     *
     * @param train the training loss per step (may be empty if {@code validation} is not)
     * @param validation the validation losses (may be empty)
     * @throws IllegalArgumentException for null arguments or points, a size outside [{@value #MIN_SIZE},
     *     {@value #MAX_SIZE}], or no finite loss at all
     */
    public static void write(Path png, String title, List<LossPoint> train, List<LossPoint> validation, int width, int height)
            throws IOException {
        if (png == null || title == null) {
            throw new IllegalArgumentException("the PNG path and the title must not be null");
        }
        BufferedImage image = render(title, train, validation, width, height);
        AtomicFile.write(png, temp -> {
            if (!ImageIO.write(image, "png", temp.toFile())) {
                throw new IOException("this JDK has no PNG writer");
            }
        });
    }

    /** The rectangle the curves are drawn in, inside an image of the given size. */
    static Rectangle plotArea(int width, int height) {
        return new Rectangle(LEFT, TOP, width - LEFT - RIGHT, height - TOP - BOTTOM);
    }

    static BufferedImage render(String title, List<LossPoint> train, List<LossPoint> validation, int width, int height) {
        if (width < MIN_SIZE || width > MAX_SIZE || height < MIN_SIZE || height > MAX_SIZE) {
            throw new IllegalArgumentException("image size " + width + "x" + height + " is outside [" + MIN_SIZE + ", " + MAX_SIZE + "] per side");
        }
        List<LossPoint> t = finiteSorted(train, "train");
        List<LossPoint> v = finiteSorted(validation, "validation");
        if (t.isEmpty() && v.isEmpty()) {
            throw new IllegalArgumentException("nothing to plot: no finite training or validation loss");
        }
        int skipped = train.size() - t.size() + validation.size() - v.size();
        List<LossPoint> all = new ArrayList<>(t);
        all.addAll(v);
        Axes axes = Axes.fit(all, plotArea(width, height));

        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            axes.draw(g);
            drawLine(g, axes, t, TRAIN_RAW, 1f);
            drawLine(g, axes, smoothed(t), TRAIN_SMOOTHED, 2.5f);
            drawLine(g, axes, v, VALIDATION, 1.5f);
            g.setColor(VALIDATION);
            for (LossPoint p : v) {
                g.fillOval((int) Math.round(axes.x(p.step())) - 4, (int) Math.round(axes.y(p.loss())) - 4, 9, 9);
            }
            drawTitleAndLegend(g, title, skipped, width, !t.isEmpty(), !v.isEmpty());
        } finally {
            g.dispose();
        }
        return image;
    }

    private static List<LossPoint> finiteSorted(List<LossPoint> points, String which) {
        if (points == null) {
            throw new IllegalArgumentException("the " + which + " loss list is null (pass an empty list for none)");
        }
        List<LossPoint> out = new ArrayList<>(points.size());
        for (int i = 0; i < points.size(); i++) {
            LossPoint p = points.get(i);
            if (p == null) {
                throw new IllegalArgumentException(which + " loss point " + i + " is null");
            }
            if (Double.isFinite(p.loss())) {
                out.add(p);
            }
        }
        out.sort(Comparator.comparingLong(LossPoint::step));
        return out;
    }

    /**
     * A centred moving average over about a twentieth of the points: each point averages itself and the
     * same number of neighbours on either side, fewer near the ends. Being symmetric it does not lag
     * behind a falling loss (as an exponential average does), and it keeps a straight line straight.
     */
    static List<LossPoint> smoothed(List<LossPoint> points) {
        int n = points.size();
        int half = n / 40;
        double[] prefix = new double[n + 1];
        for (int i = 0; i < n; i++) {
            prefix[i + 1] = prefix[i] + points.get(i).loss();
        }
        List<LossPoint> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int h = Math.min(half, Math.min(i, n - 1 - i));
            out.add(new LossPoint(points.get(i).step(), (prefix[i + h + 1] - prefix[i - h]) / (2 * h + 1)));
        }
        return out;
    }

    private static void drawLine(Graphics2D g, Axes axes, List<LossPoint> points, Color color, float width) {
        if (points.isEmpty()) {
            return;
        }
        Path2D.Double path = new Path2D.Double();
        path.moveTo(axes.x(points.getFirst().step()), axes.y(points.getFirst().loss()));
        for (LossPoint p : points) {
            path.lineTo(axes.x(p.step()), axes.y(p.loss()));
        }
        g.setColor(color);
        g.setStroke(new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.draw(path);
    }

    /** The title at the top left, the legend at the top right, both above the plot area. */
    private static void drawTitleAndLegend(Graphics2D g, String title, int skipped, int width, boolean hasTrain, boolean hasValidation) {
        g.setColor(AXIS);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, LEFT, 24);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        if (skipped > 0) {
            g.drawString(skipped + " non-finite loss" + (skipped == 1 ? "" : "es") + " left out", LEFT, 44);
        }
        List<String> labels = new ArrayList<>();
        List<Color> colors = new ArrayList<>();
        if (hasTrain) {
            labels.addAll(List.of("train", "train (smoothed)"));
            colors.addAll(List.of(TRAIN_RAW, TRAIN_SMOOTHED));
        }
        if (hasValidation) {
            labels.add("validation");
            colors.add(VALIDATION);
        }
        FontMetrics fm = g.getFontMetrics();
        int x = width - RIGHT;
        for (int i = labels.size() - 1; i >= 0; i--) {
            x -= fm.stringWidth(labels.get(i));
            g.setColor(AXIS);
            g.drawString(labels.get(i), x, 44);
            x -= 26;
            g.setColor(colors.get(i));
            g.setStroke(new BasicStroke(3f));
            g.drawLine(x, 40, x + 20, 40);
            x -= 16;
        }
    }

    /** The mapping from (step, loss) to pixels inside {@code area}, with round-numbered tick spacings. */
    private record Axes(Rectangle area, double x0, double x1, double y0, double y1, double xTick, double yTick) {
        static Axes fit(List<LossPoint> points, Rectangle area) {
            double x0 = points.stream().mapToLong(LossPoint::step).min().orElseThrow();
            double x1 = points.stream().mapToLong(LossPoint::step).max().orElseThrow();
            if (x1 == x0) {
                x1 = x0 + 1;
            }
            double lo = points.stream().mapToDouble(LossPoint::loss).min().orElseThrow();
            double hi = points.stream().mapToDouble(LossPoint::loss).max().orElseThrow();
            // A flat curve still needs a y range; otherwise leave a 5% margin so the extremes are not on the frame.
            double pad = hi > lo ? 0.05 * (hi - lo) : Math.max(0.5, 0.05 * Math.abs(lo));
            double y0 = lo - pad;
            double y1 = hi + pad;
            return new Axes(area, x0, x1, y0, y1, Math.max(1, roundTick((x1 - x0) / 6)), roundTick((y1 - y0) / 5));
        }

        /** 1, 2 or 5 times a power of ten, near {@code raw}. */
        private static double roundTick(double raw) {
            double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
            double f = raw / magnitude;
            return (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * magnitude;
        }

        double x(double step) {
            return area.x + (step - x0) / (x1 - x0) * area.width;
        }

        double y(double loss) {
            return area.y + area.height - (loss - y0) / (y1 - y0) * area.height;
        }

        void draw(Graphics2D g) {
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            FontMetrics fm = g.getFontMetrics();
            g.setStroke(new BasicStroke(1f));
            int bottom = area.y + area.height;
            for (long k = (long) Math.ceil(x0 / xTick); k * xTick <= x1; k++) {
                int px = (int) Math.round(x(k * xTick));
                String label = Long.toString(Math.round(k * xTick));
                g.setColor(GRID);
                g.drawLine(px, area.y, px, bottom);
                g.setColor(AXIS);
                g.drawLine(px, bottom, px, bottom + 5);
                g.drawString(label, px - fm.stringWidth(label) / 2, bottom + 8 + fm.getAscent());
            }
            int decimals = (int) Math.max(0, -Math.floor(Math.log10(yTick)));
            for (long k = (long) Math.ceil(y0 / yTick); k * yTick <= y1; k++) {
                int py = (int) Math.round(y(k * yTick));
                String label = String.format(Locale.ROOT, "%." + decimals + "f", k * yTick);
                g.setColor(GRID);
                g.drawLine(area.x, py, area.x + area.width, py);
                g.setColor(AXIS);
                g.drawLine(area.x - 5, py, area.x, py);
                g.drawString(label, area.x - 8 - fm.stringWidth(label), py + fm.getAscent() / 2 - 1);
            }
            g.setColor(AXIS);
            g.drawRect(area.x, area.y, area.width, area.height);
            g.drawString("step", area.x + area.width / 2 - fm.stringWidth("step") / 2, bottom + 40);
            g.rotate(-Math.PI / 2);
            g.drawString("loss", -(area.y + area.height / 2 + fm.stringWidth("loss") / 2), 16);
            g.rotate(Math.PI / 2);
        }
    }
}
