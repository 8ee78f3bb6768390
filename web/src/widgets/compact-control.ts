/**
 * A small select or input for toolbars and filters (32 px high). `selectClass` is a full-width form
 * control; overriding its width and padding with more utilities is order-dependent, so filters use this.
 */
export const compactControl =
  'h-8 rounded-md border border-slate-300 bg-white px-2.5 text-sm text-slate-900 shadow-xs outline-none transition placeholder:text-slate-400 focus:border-emerald-600 focus:ring-2 focus:ring-emerald-600/20';
