// The `punycode` package ships no types; only the two functions the gateway uses are declared.
declare module 'punycode/punycode.js' {
  const punycode: {
    toUnicode(input: string): string;
    toASCII(input: string): string;
  };
  export default punycode;
}
