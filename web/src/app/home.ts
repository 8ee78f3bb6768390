/** Where a signed-in user lands after setup or login (the landing prompt box is `/`). */
export const HOME = '/projects';
