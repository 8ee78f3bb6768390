/** A cookie the robot's browser starts with, for one origin (host-only, as the app set it). */
export interface AccessCookie {
  name: string;
  value: string;
  /** The origin it belongs to, e.g. `http://staging--shop.localhost:3000`. */
  url: string;
}
