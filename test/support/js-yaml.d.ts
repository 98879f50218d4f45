// js-yaml is installed with @nestjs/swagger, without type declarations: the one function specs use.
declare module 'js-yaml' {
  export function load(text: string): unknown;
}
