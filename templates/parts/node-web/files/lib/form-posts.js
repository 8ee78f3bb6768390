/** Form posts: run the change; if the input is invalid, show the same page again with the errors. */
import { HttpError } from './http.js';

export async function tryForm(change, showErrors) {
  try {
    return await change();
  } catch (error) {
    if (!(error instanceof HttpError) || !error.fields.length) throw error;
    return showErrors({ errors: error.fields, status: error.status });
  }
}
