"""The municipal register: counties, municipalities with their code history, occupations, programmes."""
