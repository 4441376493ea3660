package aha.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG charts of the report, drawn with XChart without a display. */
final class Plots {
  static final int WIDTH = 800;
  static final int HEIGHT = 500;

  static {
    // no X server on training machines or CI; must be set before AWT loads
    System.setProperty("java.awt.headless", "true");
  }

  private Plots() {}

  /** A named per-step line. NaN values (steps that did not log it) are left out. */
  record Line(String name, double[] steps, double[] values, boolean dashed) {}

  /**
   * Lines over steps; with {@code markStep} a vertical dashed line labelled "aha step" across the
   * data's range.
   */
  static void steps(Path file, String title, String yLabel, List<Line> lines, Integer markStep)
      throws IOException {
    XYChart chart =
        new XYChartBuilder()
            .width(WIDTH)
            .height(HEIGHT)
            .title(title)
            .xAxisTitle("step")
            .yAxisTitle(yLabel)
            .build();
    chart.getStyler().setMarkerSize(3);
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (Line l : lines) {
      List<Double> xs = new ArrayList<>();
      List<Double> ys = new ArrayList<>();
      for (int i = 0; i < l.values().length; i++) {
        if (Double.isNaN(l.values()[i])) continue;
        xs.add(l.steps()[i]);
        ys.add(l.values()[i]);
        lo = Math.min(lo, l.values()[i]);
        hi = Math.max(hi, l.values()[i]);
      }
      if (xs.isEmpty()) continue;
      XYSeries s = chart.addSeries(l.name(), xs, ys);
      s.setMarker(xs.size() > 60 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
      if (l.dashed())
        s.setLineStyle(
            new BasicStroke(
                2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
    }
    if (markStep != null && lo <= hi) {
      XYSeries mark =
          chart.addSeries(
              "aha step " + markStep,
              List.of((double) markStep, (double) markStep),
              List.of(lo, hi));
      mark.setMarker(SeriesMarkers.NONE);
      mark.setLineColor(Color.RED);
      mark.setLineStyle(
          new BasicStroke(
              1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {3f, 3f}, 0f));
    }
    save(chart, file);
  }

  /** Grouped bars: one group per eval set, one bar per model, with +-1 standard error bars. */
  static void bars(
      Path file,
      String title,
      List<String> sets,
      List<String> models,
      double[][] values,
      double[][] errors)
      throws IOException {
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(WIDTH)
            .height(HEIGHT)
            .title(title)
            .xAxisTitle("eval set")
            .yAxisTitle("pass@1 (+-1 s.e.)")
            .build();
    chart.getStyler().setYAxisMin(0.0);
    for (int m = 0; m < models.size(); m++) {
      List<Double> ys = new ArrayList<>();
      List<Double> es = new ArrayList<>();
      for (int s = 0; s < sets.size(); s++) {
        ys.add(Double.isNaN(values[m][s]) ? 0.0 : values[m][s]);
        es.add(Double.isNaN(errors[m][s]) ? 0.0 : errors[m][s]);
      }
      chart.addSeries(models.get(m), sets, ys, es);
    }
    save(chart, file);
  }

  private static void save(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path file)
      throws IOException {
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    try (var out = Files.newOutputStream(tmp)) {
      BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
