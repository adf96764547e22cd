// Word lists for realistic Brazilian customer data: accented names, streets with
// commas in the address, e-mail providers. Used only by the dataset generator.

export const FIRST_NAMES = [
  'João', 'José', 'Antônio', 'Francisco', 'Sérgio', 'Vinícius', 'Otávio', 'Flávio', 'Rogério', 'Estêvão',
  'Aurélio', 'Caio', 'Luís', 'André', 'Fábio', 'Márcio', 'Maria', 'Ana', 'Fátima', 'Conceição',
  'Luíza', 'Márcia', 'Inês', 'Cecília', 'Letícia', 'Débora', 'Mônica', 'Lúcia', 'Gabriela', 'Juliana',
  'Patrícia', 'Cláudia', 'Érica', 'Tânia', 'Simone', 'Beatriz', 'Heloísa', 'Jéssica', 'Natália', 'Vitória',
];

export const SURNAMES = [
  'Silva', 'Souza', 'Oliveira', 'Pereira', 'Rodrigues', 'Almeida', 'Nascimento', 'Lima', 'Ribeiro', 'Carvalho',
  'Gomes', 'Martins', 'Rocha', 'Barbosa', 'Araújo', 'Simões', 'Magalhães', 'Gonçalves', 'Brandão', 'Falcão',
  'Guimarães', 'Antunes', 'Assunção', 'Patrício', 'Conceição', 'Louçã', 'Estevão', 'Gusmão', 'Tavares', 'Cavalcânti',
];

export const NAME_PARTICLES = ['da', 'de', 'do', 'dos', 'das'];

export const STREET_TYPES = ['Rua', 'Avenida', 'Travessa', 'Alameda', 'Praça'];

export const STREET_NAMES = [
  'das Flores', 'Sete de Setembro', 'Barão do Rio Branco', 'São João', 'XV de Novembro', 'Dom Pedro II',
  'Marechal Deodoro', 'Tiradentes', 'Getúlio Vargas', 'Santa Efigênia', 'Conselheiro Aguiar', 'José de Alencar',
];

export const NEIGHBOURHOODS = ['Centro', 'Jardim América', 'Vila Mariana', 'Boa Viagem', 'Savassi', 'Copacabana', 'Batel', 'Ponta Verde'];

export const CITIES = [
  'São Paulo - SP', 'Belo Horizonte - MG', 'Ribeirão Preto - SP', 'Florianópolis - SC', 'Goiânia - GO',
  'Maceió - AL', 'São Luís - MA', 'Cuiabá - MT', 'Vitória - ES', 'Niterói - RJ', 'Curitiba - PR', 'Recife - PE',
];

export const EMAIL_DOMAINS = ['gmail.com', 'hotmail.com', 'uol.com.br', 'bol.com.br', 'outlook.com', 'terra.com.br', 'yahoo.com.br'];

export const FEATURE_SETS = ['core', 'core', 'core', 'core', 'core,reports', 'core,backup', 'core,reports,nfe'];

/** `João Araújo` → `joao.araujo`: e-mail and username friendly. */
export function asciiSlug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '.')
    .replace(/^\.+|\.+$/g, '');
}
