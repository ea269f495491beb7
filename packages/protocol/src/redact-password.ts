/** A connection string (`redis://`, `postgresql://` ...) as it may be printed: the password, if any, replaced. */
export function redactPassword(connection: string): string {
  return connection.replace(/^(\w+:\/\/[^:@/]*:)[^@]*@/, '$1***@');
}
