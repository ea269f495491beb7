/** What `LinePath` draws into: a `Path2D` (or a recorder in tests). */
export interface PathSink {
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  rect(x: number, y: number, width: number, height: number): void;
}

const NO_PATH: PathSink = {
  moveTo() {},
  lineTo() {},
  rect() {},
};

/**
 * One line in device pixels, built point by point. The points of one pixel column collapse to
 * its first, extreme and last heights (in their order), as uPlot's own per-pixel paths do.
 * - `stroke` (hairlines, dashed or translucent lines): a polyline through those heights, a run of
 *   vertices at one height as one segment.
 * - `fill` (opaque lines wider than a pixel): where columns follow each other within 2 px, each
 *   column and its link to the previous one are one rectangle of the line's width (a run of
 *   equal ones merged), and only longer links are stroked. A software rasteriser strokes a
 *   wide zigzag (a noisy line: up and down in every column) a hundred times slower than a hairline;
 *   the rectangles cover the same pixels at the cost of a fill.
 */
export class LinePath {
  #stroke: PathSink = NO_PATH;
  #fill: PathSink = NO_PATH;
  #fillMode = false;
  #half = 0.5;
  #started = false;
  #column = Number.NaN;
  #x = 0;
  #first = 0;
  #min = 0;
  #max = 0;
  #last = 0;
  #minFirst = true;
  /** A vertex held back while the next ones stay at its height (a flat run is one segment). */
  #heldX = Number.NaN;
  #heldY = 0;
  #lastY = Number.NaN;
  // Fill mode: the previous column's x and last height, where the stroke's pen is, the pending rectangle.
  #prevX = Number.NaN;
  #prevLast = 0;
  #penX = Number.NaN;
  #penY = Number.NaN;
  #rect = [Number.NaN, 0, 0, 0];

  /** Starts a line whose strokes go to `stroke` and, in `fill` mode, rectangles to `fill`. */
  start(options: {
    readonly mode: 'stroke' | 'fill';
    readonly width: number;
    readonly stroke: PathSink;
    readonly fill: PathSink;
  }): void {
    const { mode, width } = options;
    this.#stroke = options.stroke;
    this.#fill = options.fill;
    this.#fillMode = mode === 'fill';
    this.#half = width / 2;
    this.#started = false;
    this.#column = Number.NaN;
    this.#heldX = Number.NaN;
    this.#lastY = Number.NaN;
    this.#prevX = Number.NaN;
    this.#penX = Number.NaN;
    this.#rect[0] = Number.NaN;
  }

  add(px: number, py: number): void {
    const column = Math.floor(px);
    if (column === this.#column) {
      if (py < this.#min) {
        this.#min = py;
        this.#minFirst = false;
      } else if (py > this.#max) {
        this.#max = py;
        this.#minFirst = true;
      }
      this.#last = py;
      return;
    }
    this.#flushColumn();
    this.#column = column;
    this.#x = px;
    this.#first = this.#min = this.#max = this.#last = py;
    this.#minFirst = true;
  }

  /** Writes out what is held back (the last column, a flat run, a rectangle). */
  finish(): void {
    this.#flushColumn();
    this.#release();
    this.#emitRect();
  }

  #flushColumn(): void {
    if (Number.isNaN(this.#column)) return;
    if (this.#fillMode) {
      this.#flushFilled();
      return;
    }
    const x = this.#x;
    if (this.#max - this.#min < 1) {
      this.#vertex(x, this.#last);
      return;
    }
    // Up then down, or down then up, as the points went (screen y grows downwards).
    this.#vertex(x, this.#first);
    if (this.#minFirst) {
      this.#vertex(x, this.#min);
      this.#vertex(x, this.#max);
    } else {
      this.#vertex(x, this.#max);
      this.#vertex(x, this.#min);
    }
    this.#vertex(x, this.#last);
  }

  #flushFilled(): void {
    const x = this.#x;
    const h = this.#half;
    const prevX = this.#prevX;
    if (!Number.isNaN(prevX) && x - prevX <= 2) {
      // The link from the previous column and this column's extent, as one rectangle.
      this.#addRect(
        prevX - h,
        x + h,
        Math.min(this.#prevLast, this.#min) - h,
        Math.max(this.#prevLast, this.#max) + h,
      );
    } else {
      if (!Number.isNaN(prevX)) {
        if (this.#penX !== prevX || this.#penY !== this.#prevLast) this.#stroke.moveTo(prevX, this.#prevLast);
        this.#stroke.lineTo(x, this.#first);
        this.#penX = x;
        this.#penY = this.#first;
      }
      this.#addRect(x - h, x + h, this.#min - h, this.#max + h);
    }
    this.#prevX = x;
    this.#prevLast = this.#last;
  }

  #addRect(x0: number, x1: number, y0: number, y1: number): void {
    const rect = this.#rect;
    if (rect[2] === y0 && rect[3] === y1 && x0 <= rect[1]!) {
      rect[1] = Math.max(rect[1]!, x1);
      return;
    }
    this.#emitRect();
    rect[0] = x0;
    rect[1] = x1;
    rect[2] = y0;
    rect[3] = y1;
  }

  #emitRect(): void {
    const [x0, x1, y0, y1] = this.#rect as [number, number, number, number];
    if (Number.isNaN(x0)) return;
    this.#fill.rect(x0, y0, x1 - x0, y1 - y0);
    this.#rect[0] = Number.NaN;
  }

  #vertex(x: number, y: number): void {
    if (y === this.#lastY && !Number.isNaN(this.#heldX)) {
      // Still on the flat run: move its held end.
      this.#heldX = x;
      return;
    }
    this.#release();
    if (!this.#started) {
      this.#stroke.moveTo(x, y);
      this.#started = true;
    } else if (y === this.#lastY) {
      this.#heldX = x;
      this.#heldY = y;
      return;
    } else this.#stroke.lineTo(x, y);
    this.#lastY = y;
  }

  #release(): void {
    if (Number.isNaN(this.#heldX)) return;
    this.#stroke.lineTo(this.#heldX, this.#heldY);
    this.#heldX = Number.NaN;
  }
}
