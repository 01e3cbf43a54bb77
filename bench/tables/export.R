# Writes the public tables of the comparison as CSV (run: Rscript bench/tables/export.R, from Debian's R packages).
suppressMessages({library(mlbench); library(modeldata)})
out <- function(df, name) write.csv(df, name, row.names = FALSE, na = "NA")
# penguins: Palmer Station penguins (palmerpenguins, CC0), copied as the package ships it
file.copy("/usr/lib/R/site-library/palmerpenguins/extdata/penguins.csv", "penguins.csv", overwrite = TRUE)
data(BreastCancer); out(BreastCancer, "breast-cancer.csv")   # mlbench (GPL-2): Wisconsin, 699 rows, gaps, an Id column
data(HouseVotes84); out(HouseVotes84, "house-votes-84.csv")  # mlbench: 1984 Congress votes, y/n with gaps
data(credit_data); out(credit_data, "credit.csv")            # modeldata (MIT): credit scoring, gaps, categories
