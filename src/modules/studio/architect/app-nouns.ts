/**
 * A small dictionary of things apps keep track of, with sensible fields (in the Architect's field
 * syntax), used by autopilot to turn a landing prompt into a data model. `container` nouns (album,
 * project) are what other things belong to.
 */
import { lookupTable } from '../../../platform/lookup-table.ts';
import { singularizeWord } from '../../blueprint/index.ts';
export interface AppNoun {
  fields: string;
  description: string;
  /** Other things belong to it (an album holds photos). */
  container?: boolean;
  /** It belongs to the app's main thing (a comment on a post, an ingredient of a recipe). */
  part?: boolean;
}

export const APP_NOUNS = lookupTable<AppNoun>({
  photo: { fields: 'title:text!, url:url!, caption:longtext', description: 'A photo shared in the app' },
  video: { fields: 'title:text!, url:url!, description:longtext', description: 'A video' },
  album: {
    fields: 'title:text!, description:longtext',
    description: 'A collection of photos',
    container: true,
  },
  post: { fields: 'title:text!, body:longtext!, publishedOn:date', description: 'A post people read' },
  comment: { fields: 'author:text, body:longtext!', description: 'A comment someone left', part: true },
  task: { fields: 'title:text!, done:boolean, dueDate:date', description: 'Something to get done' },
  project: { fields: 'name:text!, description:longtext', description: 'A project', container: true },
  note: { fields: 'title:text!, body:longtext', description: 'A note' },
  idea: { fields: 'title:text!, details:longtext', description: 'An idea worth keeping' },
  product: {
    fields: 'name:text!, price:number!, description:longtext, inStock:boolean',
    description: 'A product for sale',
  },
  order: {
    fields: 'customerName:text!, email:email!, total:number, status:enum(pending|paid|shipped)',
    description: 'An order',
  },
  customer: {
    fields: 'name:text!, email:email! unique, phone:text',
    description: 'A customer',
    container: true,
  },
  event: {
    fields: 'title:text!, startsAt:datetime!, location:text, description:longtext',
    description: 'An event',
  },
  recipe: { fields: 'title:text!, instructions:longtext, servings:integer', description: 'A recipe' },
  ingredient: { fields: 'name:text!, quantity:text', description: 'An ingredient of a recipe', part: true },
  book: { fields: 'title:text!, author:text, publishedOn:date, finished:boolean', description: 'A book' },
  author: { fields: 'name:text!, bio:longtext', description: 'An author', container: true },
  review: { fields: 'author:text, rating:integer!, body:longtext', description: 'A review', part: true },
  contact: {
    fields: 'name:text!, email:email, phone:text, notes:longtext',
    description: 'A person to keep in touch with',
  },
  message: { fields: 'name:text!, email:email!, body:longtext!', description: 'A message someone sent' },
  signup: { fields: 'email:email! unique, name:text', description: 'Someone who signed up' },
  bookmark: { fields: 'title:text!, url:url!, notes:longtext', description: 'A saved link' },
  movie: { fields: 'title:text!, year:integer, watched:boolean', description: 'A movie' },
  song: { fields: 'title:text!, artist:text, url:url', description: 'A song' },
  playlist: { fields: 'name:text!, description:longtext', description: 'A playlist', container: true },
  restaurant: { fields: 'name:text!, cuisine:text, address:text, website:url', description: 'A restaurant' },
  expense: {
    fields: 'description:text!, amount:number!, spentOn:date!, category:enum(food|travel|home|other)',
    description: 'Money spent',
  },
  category: { fields: 'name:text!', description: 'A category', container: true },
  habit: {
    fields: 'name:text!, frequency:enum(daily|weekly), active:boolean',
    description: 'A habit to keep',
  },
  workout: { fields: 'kind:text!, minutes:integer!, doneOn:date!', description: 'A workout' },
  invoice: {
    fields: 'number:text! unique, customerName:text!, amount:number!, dueDate:date, paid:boolean',
    description: 'An invoice',
  },
  ticket: {
    fields: 'title:text!, description:longtext, status:enum(open|in progress|closed)',
    description: 'A support ticket',
  },
  question: { fields: 'title:text!, body:longtext', description: 'A question', container: true },
  answer: { fields: 'body:longtext!', description: 'An answer to a question', part: true },
  team: { fields: 'name:text!', description: 'A team', container: true },
  member: { fields: 'name:text!, email:email, role:text', description: 'A member' },
  course: { fields: 'title:text!, description:longtext', description: 'A course', container: true },
  lesson: { fields: 'title:text!, content:longtext, position:integer', description: 'A lesson', part: true },
  appointment: { fields: 'title:text!, startsAt:datetime!, notes:longtext', description: 'An appointment' },
  booking: { fields: 'name:text!, email:email!, date:date!, guests:integer', description: 'A booking' },
  pet: { fields: 'name:text!, species:text, birthday:date', description: 'A pet' },
  plant: { fields: 'name:text!, species:text, lastWatered:date', description: 'A plant' },
  meal: { fields: 'name:text!, eatenOn:date, calories:integer', description: 'A meal' },
  trip: { fields: 'destination:text!, startsOn:date, endsOn:date', description: 'A trip', container: true },
  place: { fields: 'name:text!, address:text, notes:longtext', description: 'A place' },
  guest: { fields: 'name:text!, email:email, attending:boolean', description: 'A guest', part: true },
  job: {
    fields: 'title:text!, company:text!, url:url, status:enum(applied|interviewing|offer|rejected)',
    description: 'A job application',
  },
  goal: { fields: 'title:text!, targetDate:date, achieved:boolean', description: 'A goal' },
  quote: { fields: 'text:longtext!, author:text', description: 'A quote' },
  board: { fields: 'name:text!', description: 'A board', container: true },
  card: { fields: 'title:text!, details:longtext', description: 'A card on a board', part: true },
  item: { fields: 'name:text!, notes:longtext', description: 'An item' },
});

/** Other words for the same thing. */
export const NOUN_ALIASES = lookupTable<string>({
  picture: 'photo',
  image: 'photo',
  pic: 'photo',
  todo: 'task',
  chore: 'task',
  article: 'post',
  blog: 'post',
  entry: 'post',
  client: 'customer',
  purchase: 'order',
  reservation: 'booking',
  film: 'movie',
  track: 'song',
  meetup: 'event',
  gig: 'event',
  friend: 'contact',
  subscriber: 'signup',
  newsletter: 'signup',
  waitlist: 'signup',
  employee: 'member',
  link: 'bookmark',
});

/** Verbs and nouns that mean "count this" or "score this" on the main thing. */
export interface CounterWord {
  field: string;
  /** The endpoint verb (`POST /api/photos/:id/like`); rated fields are set in the form instead. */
  action?: string;
}

export const COUNTER_WORDS = lookupTable<CounterWord>({
  like: { field: 'likes', action: 'like' },
  likes: { field: 'likes', action: 'like' },
  heart: { field: 'likes', action: 'like' },
  vote: { field: 'votes', action: 'vote' },
  votes: { field: 'votes', action: 'vote' },
  upvote: { field: 'votes', action: 'vote' },
  upvotes: { field: 'votes', action: 'vote' },
  star: { field: 'stars', action: 'star' },
  stars: { field: 'stars', action: 'star' },
  rate: { field: 'rating' },
  rating: { field: 'rating' },
  ratings: { field: 'rating' },
  score: { field: 'score' },
  scores: { field: 'score' },
});

/** The dictionary's noun for a word (`pictures` → `photo`), if it has one. */
export function dictionaryNoun(word: string): string | undefined {
  const lower = word.toLowerCase();
  // `expenses`, `courses`: the plural of a word ending in -se is the word and an s.
  for (const singular of [singularizeWord(lower), lower.replace(/(?<=se)s$/, '')]) {
    const noun = NOUN_ALIASES[singular] ?? (APP_NOUNS[singular] ? singular : undefined);
    if (noun) return noun;
  }
  return undefined;
}
