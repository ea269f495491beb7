/** What the page remembers about the view: in the URL (a link shares it) and in local storage. */
export interface ViewState {
  readonly filter: string;
  /** Runs on the charts, in order. */
  readonly selected: readonly string[];
  /** The run the list's actions apply to (and the charts show when nothing is selected). */
  readonly focused: string | undefined;
  readonly sortKey: string;
  readonly sortDirection: 'ascending' | 'descending';
  readonly groupBy: string;
  readonly hidden: readonly string[];
  readonly showHidden: boolean;
  readonly smoothing: number;
  readonly yScale: 'linear' | 'log';
  readonly xAxis: 'step' | 'epoch' | 'time';
  readonly showOutliers: boolean;
  /** The learning curve's zoomed x range (`undefined`: follow the data). */
  readonly zoom: { readonly min: number; readonly max: number } | undefined;
}

export const defaultViewState: ViewState = {
  filter: '',
  selected: [],
  focused: undefined,
  sortKey: '',
  sortDirection: 'ascending',
  groupBy: '',
  hidden: [],
  showHidden: false,
  smoothing: 0.6,
  yScale: 'linear',
  xAxis: 'step',
  showOutliers: false,
  zoom: undefined,
};

/** The query parameters the view uses (others, such as `server` and `maxPoints`, are left alone). */
export const viewKeys = [
  'q',
  'runs',
  'focus',
  'sort',
  'group',
  'hide',
  'hidden',
  'smooth',
  'y',
  'x',
  'outliers',
  'zoom',
] as const;

/** The view as query parameters; defaults are left out, so a plain view keeps a plain URL. */
export function encodeView(state: ViewState): URLSearchParams {
  const params = new URLSearchParams();
  const d = defaultViewState;
  if (state.filter) params.set('q', state.filter);
  if (state.selected.length) params.set('runs', state.selected.join(','));
  if (state.focused) params.set('focus', state.focused);
  if (state.sortKey)
    params.set('sort', `${state.sortKey}:${state.sortDirection === 'ascending' ? 'asc' : 'desc'}`);
  if (state.groupBy) params.set('group', state.groupBy);
  if (state.hidden.length) params.set('hide', state.hidden.join(','));
  if (state.showHidden) params.set('hidden', 'show');
  if (state.smoothing !== d.smoothing) params.set('smooth', String(state.smoothing));
  if (state.yScale !== d.yScale) params.set('y', state.yScale);
  if (state.xAxis !== d.xAxis) params.set('x', state.xAxis);
  if (state.showOutliers) params.set('outliers', 'show');
  if (state.zoom) params.set('zoom', `${state.zoom.min},${state.zoom.max}`);
  return params;
}

/**
 * The view from query parameters, defaults for what is absent. A value that cannot be used is
 * skipped and reported in `problems` (naming the parameter and the value), never thrown: a bad
 * link still opens the dashboard.
 */
export function decodeView(params: URLSearchParams): { state: ViewState; problems: string[] } {
  const problems: string[] = [];
  const d = defaultViewState;
  const list = (text: string | null) => (text ? text.split(',').filter(Boolean) : []);
  const pick = <T extends string>(key: string, allowed: readonly T[], fallback: T): T => {
    const value = params.get(key);
    if (value === null) return fallback;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    problems.push(`?${key}=${value} is not one of ${allowed.join(', ')}`);
    return fallback;
  };
  let smoothing = d.smoothing;
  const smooth = params.get('smooth');
  if (smooth !== null) {
    const value = Number(smooth);
    if (smooth.trim() !== '' && value >= 0 && value < 1) smoothing = value;
    else problems.push(`?smooth=${smooth} must be a number in [0, 1)`);
  }
  let zoom: ViewState['zoom'];
  const zoomText = params.get('zoom');
  if (zoomText !== null) {
    const [min, max] = zoomText.split(',').map(Number);
    if (Number.isFinite(min) && Number.isFinite(max) && max! > min!) zoom = { min: min!, max: max! };
    else problems.push(`?zoom=${zoomText} must be two increasing numbers, min,max`);
  }
  let sortKey = '';
  let sortDirection: ViewState['sortDirection'] = 'ascending';
  const sort = params.get('sort');
  if (sort !== null) {
    const match = /^([A-Za-z]+):(asc|desc)$/.exec(sort);
    if (match) {
      sortKey = match[1]!;
      sortDirection = match[2] === 'asc' ? 'ascending' : 'descending';
    } else problems.push(`?sort=${sort} must be column:asc or column:desc`);
  }
  return {
    state: {
      filter: params.get('q') ?? '',
      selected: list(params.get('runs')),
      focused: params.get('focus') || undefined,
      sortKey,
      sortDirection,
      groupBy: params.get('group') ?? '',
      hidden: list(params.get('hide')),
      showHidden: params.get('hidden') === 'show',
      smoothing,
      yScale: pick('y', ['linear', 'log'], d.yScale),
      xAxis: pick('x', ['step', 'epoch', 'time'], d.xAxis),
      showOutliers: params.get('outliers') === 'show',
      zoom,
    },
    problems,
  };
}

/** True when the URL carries any view parameter (then it wins over what was stored). */
export function hasView(params: URLSearchParams): boolean {
  return viewKeys.some((key) => params.has(key));
}

/** `search` with the view's parameters replaced by `state`'s (others, like `server`, kept). */
export function withView(search: string, state: ViewState): string {
  const params = new URLSearchParams(search);
  for (const key of viewKeys) params.delete(key);
  for (const [key, value] of encodeView(state)) params.set(key, value);
  const text = params.toString();
  return text ? `?${text}` : '';
}
