// Italian given names for the name redaction: the most frequent names given in Italy from the
// 1930s to the 2010s (ISTAT's yearly tables of first names, public data), plus common foreign
// names among job-centre users. Names that are also ordinary words written with a capital at the
// start of a sentence or in a place name (Santo, Primo, Domenica, Natale, Pace, Sole, Speranza)
// are left out: a surname after them is not evidence enough.
const names = `
Adele Adriana Adriano Agata Agnese Agostino Alba Alberto Alessandra Alessandro Alessia Alessio
Alfonso Alfredo Alice Alida Alma Amalia Ambra Ambrogio Amedeo Amelia Anna Annalisa Annamaria
Antonella Antonietta Antonino Antonio Arianna Armando Arnaldo Arturo Assunta Aurelio Aurora
Barbara Beatrice Benedetta Benito Bernardo Bianca Bruna Bruno Calogero Camilla Carla Carlo
Carlotta Carmela Carmelo Carmen Carmine Carolina Caterina Cecilia Cesare Chiara Cinzia Claudia
Claudio Clara Concetta Corrado Cosimo Cristian Cristiano Cristina Damiano Daniela Daniele Dario
Davide Debora Denis Diego Dino Domenico Donatella Donato Dora Edoardo Elena Eleonora Elia Elisa
Elisabetta Elvira Emanuela Emanuele Emilia Emilio Emma Enrica Enrico Enza Enzo Erica Ermanno Ernesto
Ester Ettore Eugenio Fabio Fabiola Fabrizio Federica Federico Fernando Filippo Fiorella Flavia
Flavio Francesca Francesco Franco Gabriele Gabriella Gaetano Gaia Gennaro Gerardo Giacomo Giada
Gianfranco Gianluca Gianluigi Gianni Giorgia Giorgio Giovanna Giovanni Girolamo Gisella Giulia
Giuliana Giuliano Giulio Giuseppa Giuseppe Giuseppina Gloria Graziella Gregorio Guglielmo Guido
Ilaria Immacolata Ines Irene Iolanda Isabella Ivana Ivano Ivo Jacopo Lara Laura Lauro Lea Leonardo
Letizia Lidia Liliana Lina Lino Lisa Livia Loredana Lorena Lorenzo Luana Luca Lucia Luciana
Luciano Lucio Ludovica Luigi Luigia Luisa Manuel Manuela Mara Marcella Marcello Marco Margherita
Maria Mariagrazia Mariangela Marianna Mariano Marilena Marina Marino Mario Marisa Marta Martina
Massimiliano Massimo Matilde Matteo Mattia Maurizio Mauro Michela Michele Milena Mirella Mirko
Monica Nadia Nando Natalia Nazzareno Nicola Nicoletta Nicolò Nino Noemi Norma Orazio Oreste Orlando
Ornella Osvaldo Ottavio Paola Paolo Pasquale Patrizia Patrizio Piera Pierluigi Piero Pietro
Raffaele Raffaella Renata Renato Riccardo Rino Rita Roberta Roberto Rocco Romano Romeo Rosalba
Rosanna Rosaria Rosario Rossana Rosetta Rosita Ruggero Sabrina Salvatore Samuele Sandra Sandro Sara
Sebastiano Sergio Silvana Silvano Silvia Silvio Simona Simone Sofia Sonia Stefania Stefano Susanna
Tania Teresa Tiziana Tiziano Tommaso Tullio Ugo Umberto Valentina Valentino Valeria Valerio Vanessa
Vania Vera Veronica Vincenza Vincenzo Viola Virginia Vito Vittoria Vittorio Walter Ylenia Zaira
Ahmed Aisha Ali Amina Bogdan Elena Fatima Ion Irina Mohamed Olena Omar Oksana Youssef
`;

export const givenNames: ReadonlySet<string> = new Set(names.split(/\s+/).filter(Boolean));
