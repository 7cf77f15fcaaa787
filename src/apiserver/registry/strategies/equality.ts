// Shared with the controllers and the CLI, which compare pod templates the same way.
export { semanticallyEqual } from '../../../api/semantic-equality.js';
