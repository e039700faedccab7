export { renderSvg, svgToPng, svgToPngSync, withDefaults, FONT_FAMILY, FIGURE_STYLE, DEFAULT_CONFIG, type VegaLiteSpec } from './render.js';
export { textWidth, parseFontMetrics, dejaVuMetrics, vegaTextWidth, type FontMetrics } from './font-metrics.js';
export { saveFigure, show, inlineData, type SavedFigure } from './figure.js';
export { saveTable, showTable, rowsOf, type SavedTable, type FrameLike } from './table.js';
export { toCsv, toMarkdown, toHtmlTable, formatNumber, columnsOf, jsonSafeRows, type Row, type Cell } from './csv.js';
export { displayBundle, showHtml, showMarkdown, inNotebook, type MimeBundle } from './display.js';
export { setOutputRoot, outputRoot, outputPath, setPaperOutputDir, paperOutputDir } from './output.js';
export {
  lineChart, barChart, panels, titleBlock, labelExpr, seriesOrder, DASH_LEGEND,
  type Channel, type LineChartOptions, type BarChartOptions, type Interpolate,
} from './charts.js';
export { encodePng, renderImageGrid, wrapLabel, crc32, PNG_SIGNATURE, type ImageGridOptions, type RenderedGrid } from './image-grid.js';
