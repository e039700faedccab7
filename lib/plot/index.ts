export { renderSvg, svgToPng, withDefaults, FONT_FAMILY, type VegaLiteSpec } from './render.js';
export { saveFigure, show, inlineData, type SavedFigure } from './figure.js';
export { saveTable, showTable, rowsOf, type SavedTable, type FrameLike } from './table.js';
export { toCsv, toMarkdown, toHtmlTable, formatNumber, columnsOf, jsonSafeRows, type Row, type Cell } from './csv.js';
export { displayBundle, showHtml, showMarkdown, inNotebook, type MimeBundle } from './display.js';
export { setOutputRoot, outputRoot, outputPath, setPaperOutputDir, paperOutputDir } from './output.js';
export { lineChart, barChart, panels, titleBlock, type Channel, type LineChartOptions } from './charts.js';
export { encodePng, renderImageGrid, crc32, PNG_SIGNATURE, type ImageGridOptions, type RenderedGrid } from './image-grid.js';
